/// One worker process to run: executable, argv, environment and working directory.
///
/// Arguments are single argv elements, never joined into a shell line, so tool arguments that
/// reach `claude` cannot be reinterpreted.
package struct WorkerCommand: Equatable, Sendable {
    package var executable: String
    package var arguments: [String]
    /// The complete environment of the process.
    package var environment: [String: String]
    package var workingDirectory: String

    package init(executable: String, arguments: [String], environment: [String: String], workingDirectory: String) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }
}
