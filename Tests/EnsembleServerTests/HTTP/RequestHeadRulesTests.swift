import EnsembleServer
import Testing

struct RequestHeadRulesTests {
    @Test func anOriginFormTargetWithOneHostPasses() {
        #expect(RequestHeadRules.refusal(method: "POST", target: "/mcp", hosts: ["127.0.0.1:3000"]) == nil)
        #expect(RequestHeadRules.refusal(method: "GET", target: "/health", hosts: [], requiresHost: false) == nil)
        #expect(RequestHeadRules.refusal(method: "GET", target: "/health", hosts: [])?.contains("no Host") == true)
        #expect(RequestHeadRules.refusal(method: "OPTIONS", target: "*", hosts: ["127.0.0.1"]) == nil)
    }

    @Test func aSecondHostHeaderIsRefused() {
        let refusal = RequestHeadRules.refusal(method: "POST", target: "/mcp", hosts: ["127.0.0.1:3000", "evil.test"])
        #expect(refusal == "The request has 2 Host headers: send exactly one.")
    }

    @Test func anAbsoluteFormTargetMustNameTheHostHeadersAuthority() {
        #expect(
            RequestHeadRules.refusal(method: "POST", target: "http://127.0.0.1:3000/mcp", hosts: ["127.0.0.1:3000"])
                == nil
        )
        let other = RequestHeadRules.refusal(method: "POST", target: "http://evil.test/mcp", hosts: ["127.0.0.1:3000"])
        #expect(other?.contains("names 'evil.test'") == true)
        let credentials = RequestHeadRules.refusal(
            method: "POST",
            target: "http://127.0.0.1:3000@evil.test/mcp",
            hosts: ["127.0.0.1:3000"]
        )
        #expect(credentials != nil)
        #expect(RequestHeadRules.refusal(method: "CONNECT", target: "evil.test:443", hosts: ["evil.test:443"]) != nil)
        #expect(RequestHeadRules.refusal(method: "GET", target: "*", hosts: ["127.0.0.1"]) != nil)
    }
}
