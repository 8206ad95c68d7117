import EnsembleTestSupport
import Foundation
import Testing

@testable import EnsembleCLI

struct ClaudeCodeSetupTests {
    private func servers(in directory: TemporaryDirectory) throws -> [String: [String: Any]] {
        let config =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.appending(".mcp.json")))
            ) as? [String: Any]
        return try #require(config?["mcpServers"] as? [String: [String: Any]])
    }

    @Test func addsTheServerKeepingOtherServersWithAHelperThatReadsTheTokenAndIsIdempotent() throws {
        // Given a project with another MCP server
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try #"{"mcpServers":{"other":{"type":"stdio","command":"x"}}}"#.write(
            toFile: directory.appending(".mcp.json"),
            atomically: true,
            encoding: .utf8
        )
        let setup = ClaudeCodeSetup(
            projectDirectory: directory.path,
            serverURL: "http://127.0.0.1:3100/mcp",
            credential: .tokenFile("/home/dev/.vibe-ensemble/coordinator-token")
        )

        // When setup runs twice
        _ = try setup.apply()
        let again = try setup.apply()

        // Then both servers are configured, and the file names the token file but holds no token
        let servers = try servers(in: directory)
        #expect(servers["other"]?["command"] as? String == "x")
        #expect(servers["vibe-ensemble"]?["url"] as? String == "http://127.0.0.1:3100/mcp")
        #expect(servers["vibe-ensemble"]?["timeout"] as? Int == 600_000)
        #expect(servers["vibe-ensemble"]?["headers"] == nil)
        #expect(
            servers["vibe-ensemble"]?["headersHelper"] as? String
                == #"printf '{"Authorization":"Bearer %s"}' "$(cat '/home/dev/.vibe-ensemble/coordinator-token')""#
        )
        #expect(again.removedGuideFrom == nil)
        #expect(!FileManager.default.fileExists(atPath: directory.appending("CLAUDE.md")))
    }

    @Test func theHelperPrintsTheHeaderThroughARealShellEvenForAwkwardPaths() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = directory.appending("it's a \"token\" $HOME")
        try "0123456789abcdef0123\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", ClaudeCodeSetup.headersHelper(readingTokenFrom: tokenFile)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed == #"{"Authorization":"Bearer 0123456789abcdef0123"}"#)
    }

    @Test func removesTheGuideAnOlderVersionWroteIntoClaudeMdAndKeepsTheRest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old =
            "# My project\n\nBuild with make.\n\n\(ClaudeCodeSetup.startMarker)\nYou are the coordinator.\n"
            + "\(ClaudeCodeSetup.endMarker)\n"
        try old.write(toFile: directory.appending("CLAUDE.md"), atomically: true, encoding: .utf8)
        let setup = ClaudeCodeSetup(projectDirectory: directory.path, serverURL: "u", credential: .environment)

        let outcome = try setup.apply()

        #expect(outcome.removedGuideFrom == directory.appending("CLAUDE.md"))
        let memory = try String(contentsOfFile: directory.appending("CLAUDE.md"), encoding: .utf8)
        #expect(memory == "# My project\n\nBuild with make.\n")
        #expect(
            try servers(in: directory)["vibe-ensemble"]?["headers"] as? [String: String]
                == ["Authorization": "Bearer ${VIBE_ENSEMBLE_AUTH_TOKEN}"]
        )
    }

    @Test func refusesAnMCPConfigItCannotParse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let setup = ClaudeCodeSetup(projectDirectory: directory.path, serverURL: "u", credential: .none)
        #expect(throws: SetupError.self) { try setup.mergedMCPConfig(existing: "[1, 2]") }
    }
}
