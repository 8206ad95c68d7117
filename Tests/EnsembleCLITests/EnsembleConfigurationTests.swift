import ArgumentParser
import EnsembleTestSupport
import Foundation
import Testing

@testable import EnsembleCLI

struct EnsembleConfigurationTests {
    private func options(_ arguments: [String]) throws -> ServeOptions {
        try ServeOptions.parse(arguments)
    }

    @Test func defaultsFollowTheSpecification() throws {
        let configuration = try EnsembleConfiguration(options: options([]), environment: ["HOME": "/home/dev"])
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.http.port == 3000)
        #expect(configuration.store.databasePath == "/home/dev/.vibe-ensemble/vibe-ensemble.db")
        #expect(configuration.logLevel == "info")
        #expect(configuration.mcp.sessionIdleTimeout == .seconds(1800))
        #expect(configuration.retention == .seconds(30 * 86_400))
        let kept = try EnsembleConfiguration(options: options(["--retention-days", "7"]), environment: [:])
        #expect(kept.retention == .seconds(7 * 86_400))
        #expect(throws: ConfigurationError.self) {
            try EnsembleConfiguration(options: options([]), environment: ["VIBE_ENSEMBLE_RETENTION_DAYS": "0"])
        }
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverDefaults() throws {
        let environment = [
            "HOME": "/home/dev", "VIBE_ENSEMBLE_PORT": "4000", "VIBE_ENSEMBLE_LOG_LEVEL": "debug",
            "VIBE_ENSEMBLE_DATA_DIR": "~/data",
        ]
        let fromEnvironment = try EnsembleConfiguration(options: options([]), environment: environment)
        let fromFlags = try EnsembleConfiguration(
            options: options(["--port", "5000", "--database-path", "/tmp/x.db"]),
            environment: environment
        )

        #expect(fromEnvironment.http.port == 4000)
        #expect(fromEnvironment.logLevel == "debug")
        #expect(fromEnvironment.store.databasePath == "/home/dev/data/vibe-ensemble.db")
        #expect(fromFlags.http.port == 5000)
        #expect(fromFlags.store.databasePath == "/tmp/x.db")
    }

    @Test func rejectsUnusableValuesWithOneSentence() throws {
        #expect(
            throws: ConfigurationError.invalidValue(key: "port", value: "70000", expected: "a number from 0 to 65535")
        ) {
            try EnsembleConfiguration(options: options(["--port", "70000"]), environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try EnsembleConfiguration(options: options(["--auth-token", "short"]), environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try EnsembleConfiguration(options: options(["--log-level", "loud"]), environment: [:])
        }
    }

    @Test func aCoordinatorTokenIsRequiredByDefaultAndComesFromAFileTheEnvironmentOrAFlag() throws {
        let byDefault = try EnsembleConfiguration(options: options([]), environment: [:])
        #expect(byDefault.http.auth == .dataDirectoryToken)
        let exposed = try EnsembleConfiguration(options: options(["--host", "0.0.0.0"]), environment: [:])
        #expect(exposed.http.auth == .dataDirectoryToken && exposed.http.localHost == "127.0.0.1")

        let environment = ["VIBE_ENSEMBLE_AUTH_TOKEN": "from-the-environment"]
        let fromEnvironment = try EnsembleConfiguration(options: options([]), environment: environment)
        #expect(fromEnvironment.http.auth == .token("from-the-environment", source: .environment))
        let fromFlag = try EnsembleConfiguration(
            options: options(["--auth-token", "0123456789abcdef"]),
            environment: [:]
        )
        #expect(fromFlag.http.auth == .token("0123456789abcdef", source: .flag))

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("token")
        try "from-a-file-0123456\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(throws: ConfigurationError.self) {
            try EnsembleConfiguration(options: options(["--auth-token-file", file]), environment: [:])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let fromFile = try EnsembleConfiguration(
            options: options(["--auth-token-file", file]),
            environment: environment
        )
        #expect(fromFile.http.auth == .token("from-a-file-0123456", source: .file))
        #expect(throws: ConfigurationError.self) {
            try EnsembleConfiguration(
                options: options(["--auth-token-file", directory.appending("none")]),
                environment: [:]
            )
        }
    }

    @Test func noAuthIsForLoopbackAddressesOnlyAndNeverWithAToken() throws {
        #expect(try EnsembleConfiguration(options: options(["--no-auth"]), environment: [:]).http.auth == .disabled)
        #expect(
            try EnsembleConfiguration(options: options(["--no-auth", "--host", "127.8.0.1"]), environment: [:])
                .http.auth == .disabled
        )
        for host in ["0.0.0.0", "127.example.com", "192.168.1.10", "::"] {
            #expect(throws: ConfigurationError.nonLoopbackHost(host), "\(host)") {
                try EnsembleConfiguration(options: options(["--no-auth", "--host", host]), environment: [:])
            }
        }
        #expect(throws: ConfigurationError.self) {
            try EnsembleConfiguration(
                options: options(["--no-auth"]),
                environment: ["VIBE_ENSEMBLE_AUTH_TOKEN": "0123456789abcdef"]
            )
        }
    }

    @Test func loopbackIsJudgedAsAnAddressNotAPrefix() {
        for host in ["127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost", "LOCALHOST"] {
            #expect(LoopbackAddress.contains(host), "\(host)")
        }
        for host in ["127.example.com", "127.0.0.1.evil.test", "128.0.0.1", "::2", "0.0.0.0", "example.com"] {
            #expect(!LoopbackAddress.contains(host), "\(host)")
        }
    }

    @Test func workersDialTheBoundAddressUnlessItIsAWildcard() throws {
        let concrete = try EnsembleConfiguration(options: options(["--host", "192.168.1.10"]), environment: [:])
        let everyIPv6 = try EnsembleConfiguration(options: options(["--host", "::"]), environment: [:])
        let loopback = try EnsembleConfiguration(options: options(["--host", "::1"]), environment: [:])
        #expect(concrete.http.localHost == "192.168.1.10")
        #expect(everyIPv6.http.localHost == "::1")
        #expect(loopback.http.localHost == "::1")
    }

    @Test func rejectsUnknownFlagsAndBadTypes() {
        #expect(throws: (any Error).self) { try EnsembleCommand.parseAsRoot(["serve", "--prot", "3000"]) }
        #expect(throws: (any Error).self) { try EnsembleCommand.parseAsRoot(["serve", "--port", "three"]) }
    }

    @Test func helpNamesEveryEnvironmentVariable() {
        let help = EnsembleCommand.helpMessage(for: ServeCommand.self)
        for key in [
            "VIBE_ENSEMBLE_HOST", "VIBE_ENSEMBLE_PORT", "VIBE_ENSEMBLE_DATABASE_PATH", "VIBE_ENSEMBLE_DATA_DIR",
            "VIBE_ENSEMBLE_LOG_LEVEL", "VIBE_ENSEMBLE_SESSION_IDLE_TIMEOUT", "VIBE_ENSEMBLE_RETENTION_DAYS",
            "VIBE_ENSEMBLE_AUTH_TOKEN_FILE", "VIBE_ENSEMBLE_AUTH_TOKEN",
        ] {
            #expect(help.contains(key), "\(key)")
        }
    }
}
