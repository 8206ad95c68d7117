/// Where a worker process is in its life.
package enum WorkerStatus: String, CaseIterable, Equatable, Sendable, Codable {
    case spawning
    case active
    case idle
    case finished
    case failed
    case stopped

    /// Whether a process may be running for a worker in this status.
    package var isRunning: Bool {
        switch self {
        case .spawning, .active, .idle: true
        case .finished, .failed, .stopped: false
        }
    }

    /// The statuses in which a process may be running.
    package static let running: [WorkerStatus] = allCases.filter(\.isRunning)
}
