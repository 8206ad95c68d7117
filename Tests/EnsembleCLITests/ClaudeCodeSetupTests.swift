import EnsembleTestSupport
import Foundation
import Testing

@testable import EnsembleCLI

struct ClaudeCodeSetupTests {
    @Test func addsTheServerAndTheGuideKeepingWhatIsThereAndIsIdempotent() throws {
        // Given a project with another MCP server and its own CLAUDE.md
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try #"{"mcpServers":{"other":{"type":"stdio","command":"x"}}}"#.write(
            toFile: directory.appending(".mcp.json"),
            atomically: true,
            encoding: .utf8
        )
        try "# My project\n".write(toFile: directory.appending("CLAUDE.md"), atomically: true, encoding: .utf8)
        let setup = ClaudeCodeSetup(projectDirectory: directory.path, serverURL: "http://127.0.0.1:3100/mcp")

        // When setup runs twice
        _ = try setup.apply()
        _ = try setup.apply()

        // Then both servers are configured and the guide appears once, after the project's text
        let config =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.appending(".mcp.json")))
            ) as? [String: Any]
        let servers = try #require(config?["mcpServers"] as? [String: [String: Any]])
        #expect(servers["other"]?["command"] as? String == "x")
        #expect(servers["vibe-ensemble"]?["url"] as? String == "http://127.0.0.1:3100/mcp")
        #expect(servers["vibe-ensemble"]?["timeout"] as? Int == 600_000)
        let guide = try String(contentsOfFile: directory.appending("CLAUDE.md"), encoding: .utf8)
        #expect(guide.hasPrefix("# My project\n\n<!-- vibe-ensemble:start -->"))
        #expect(guide.components(separatedBy: ClaudeCodeSetup.startMarker).count == 2)
        #expect(guide.contains("wait_for_events"))
    }

    @Test func refusesAnMCPConfigItCannotParse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let setup = ClaudeCodeSetup(projectDirectory: directory.path, serverURL: "u")
        #expect(throws: SetupError.self) { try setup.mergedMCPConfig(existing: "[1, 2]") }
    }
}
