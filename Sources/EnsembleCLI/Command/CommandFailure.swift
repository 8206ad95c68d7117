import Foundation

/// Ends a command with one line on standard error and exit status 1: the CLI's way to report a
/// failure an operator must act on (a taken port, a missing database), without usage noise.
enum CommandFailure {
    static func exit(_ message: String) -> Never {
        FileHandle.standardError.write(Data("vibe-ensemble: error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
