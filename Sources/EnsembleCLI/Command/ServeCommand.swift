import ArgumentParser
import EnsembleCore
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// `vibe-ensemble serve`: runs the MCP server until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the MCP server (HTTP on 127.0.0.1:3000 by default).",
        discussion: """
            Every flag can also be set through its environment variable; a flag wins over the environment.
            The server stops gracefully on SIGINT (Ctrl-C) or SIGTERM.
            """
    )

    @OptionGroup var options: ServeOptions

    func run() async throws {
        let configuration: EnsembleConfiguration
        do {
            configuration = try EnsembleConfiguration(
                options: options,
                environment: ProcessInfo.processInfo.environment
            )
        } catch {
            CommandFailure.exit(error.description)
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vibe-ensemble")
        do {
            let composition = try await buildServices(
                configuration: configuration,
                version: EnsembleVersion.current,
                logger: logger
            )
            var group = ServiceGroupConfiguration(
                services: composition.services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
            // Workers get their stop grace twice over; a client that stopped reading its stream
            // must not hold the shutdown for ever, so after that the rest is cancelled.
            group.maximumGracefulShutdownDuration = configuration.workers.stopGrace * 2 + .seconds(30)
            group.maximumCancellationDuration = .seconds(10)
            let services = ServiceGroup(configuration: group)
            try await services.run()
            withExtendedLifetime(composition.lock) {}
            logger.info("vibe-ensemble stopped")
        } catch let error as CompositionError {
            CommandFailure.exit(error.description)
        } catch {
            CommandFailure.exit(Self.describe(error, configuration: configuration))
        }
    }

    private static func describe(_ error: any Error, configuration: EnsembleConfiguration) -> String {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return "Port \(configuration.http.port) on \(configuration.http.host) is already in use; "
                + "choose another with --port or VIBE_ENSEMBLE_PORT."
        }
        if "\(error)".contains("Address already in use") {
            return "Port \(configuration.http.port) on \(configuration.http.host) is already in use; "
                + "choose another with --port or VIBE_ENSEMBLE_PORT."
        }
        return "The server stopped: \(error)."
    }
}
