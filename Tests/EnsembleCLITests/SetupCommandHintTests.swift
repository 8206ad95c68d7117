import ArgumentParser
import EnsembleTestSupport
import Foundation
import Testing

@testable import EnsembleCLI

struct SetupCommandHintTests {
    private func hint(_ arguments: [String], port: Int = 3000) throws -> String {
        let configuration = try EnsembleConfiguration(
            options: ServeOptions.parse(arguments),
            environment: ["HOME": "/home/dev"]
        )
        return SetupCommandHint.command(for: configuration, port: port, home: "/home/dev")
    }

    @Test func theStartUpHintNamesOnlyTheFlagsThatDifferFromTheDefaults() throws {
        #expect(try hint([]) == "vibe-ensemble setup-claude-code --port 3000")
        #expect(try hint(["--port", "0"], port: 41234) == "vibe-ensemble setup-claude-code --port 41234")
        #expect(
            try hint(["--data-dir", "/srv/my data", "--no-auth"])
                == "vibe-ensemble setup-claude-code --port 3000 --data-dir '/srv/my data' --no-auth"
        )
        #expect(
            try hint(["--host", "::1"], port: 3100) == "vibe-ensemble setup-claude-code --url http://[::1]:3100/mcp"
        )

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("token")
        try "0123456789abcdef0123\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(
            try hint(["--auth-token-file", file])
                == "vibe-ensemble setup-claude-code --port 3000 --auth-token-file \(file)"
        )
        #expect(
            try hint(["--auth-token", "0123456789abcdef"])
                == "vibe-ensemble setup-claude-code --port 3000 --token-from-environment"
        )
    }
}
