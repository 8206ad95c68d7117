package import EnsembleCore
package import EnsembleStore

/// Builds in-memory stores seeded with a project, for tests.
package enum TestStore {
    /// An empty in-memory database.
    package static func makeDatabase(
        routing: RoutingPolicy = RoutingPolicy(),
        clock: any EnsembleClock = SystemClock()
    ) throws -> EnsembleDatabase {
        try EnsembleDatabase.inMemory(routing: routing, clock: clock)
    }

    /// An in-memory database holding project `acme/shop` (rooted at `path`) and worker types
    /// `planner`, `coder` and `reviewer`, by default each working its queue in one session, since
    /// most tests of processes start workers with nothing queued.
    package static func makeSeededDatabase(
        projectPath: String,
        routing: RoutingPolicy = RoutingPolicy(),
        clock: any EnsembleClock = SystemClock(),
        session: WorkerSession = .perQueue
    ) async throws -> EnsembleDatabase {
        let database = try makeDatabase(routing: routing, clock: clock)
        _ = try await database.createProject(Fixtures.project(path: projectPath))
        for type in ["planner", "coder", "reviewer"] {
            var new = try Fixtures.workerType(type)
            new.settings.session = session
            _ = try await database.createWorkerType(new)
        }
        return database
    }
}
