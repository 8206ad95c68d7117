import EnsembleServer
import Testing

struct LocalRequestPolicyTests {
    private let policy = LocalRequestPolicy(bindHost: "127.0.0.1", port: 3000)

    @Test(arguments: ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST:3000"])
    func acceptsLoopbackHostsOnOurPort(_ host: String) {
        #expect(policy.refusal(host: host, origin: nil) == nil)
    }

    @Test(arguments: ["evil.example:3000", "127.0.0.1:3001", "localhost", "10.0.0.5:3000"])
    func refusesOtherHosts(_ host: String) {
        #expect(policy.refusal(host: host, origin: nil) != nil)
    }

    @Test func acceptsLocalOriginsAndRefusesForeignOnes() {
        #expect(policy.refusal(host: "127.0.0.1:3000", origin: "http://localhost:3000") == nil)
        #expect(policy.refusal(host: "127.0.0.1:3000", origin: "http://evil.example") != nil)
        #expect(policy.refusal(host: "127.0.0.1:3000", origin: "http://localhost:5173") != nil)
        #expect(policy.refusal(host: "127.0.0.1:3000", origin: "null") != nil)
    }

    @Test func portZeroAcceptsAnyPort() {
        let policy = LocalRequestPolicy(bindHost: "127.0.0.1", port: 0)
        #expect(policy.refusal(host: "127.0.0.1:41234", origin: nil) == nil)
        #expect(policy.refusal(host: "evil.example:41234", origin: nil) != nil)
    }
}
