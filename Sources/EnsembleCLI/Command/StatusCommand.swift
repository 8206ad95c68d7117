import ArgumentParser
import EnsembleCore
import EnsembleStore
import Foundation

/// `vibe-ensemble status`: what the ensemble is doing, read from the database.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show tickets, workers, the backlog and unprocessed events (reads the database; spends no tokens)."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print the snapshot as JSON.")
    var json = false

    func run() async throws {
        let location = EnsembleConfiguration.Store(options: store, environment: ProcessInfo.processInfo.environment)
        guard FileManager.default.fileExists(atPath: location.databasePath) else {
            CommandFailure.exit(
                "No database at \(location.databasePath): start the server with 'vibe-ensemble serve' first, "
                    + "or pass --database-path."
            )
        }
        let database: EnsembleDatabase
        do {
            database = try EnsembleDatabase.openReadOnly(at: location.databasePath)
        } catch {
            CommandFailure.exit(error.description)
        }
        let snapshot = try await StatusSnapshot.read(from: database, databasePath: location.databasePath)
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(snapshot), as: UTF8.self))
        } else {
            print(StatusRenderer.render(snapshot))
        }
    }
}
