package import EnsembleCore

/// What tool handlers work with: the persistence port.
package struct ToolContext: Sendable {
    package var repository: any Repository

    package init(repository: any Repository) {
        self.repository = repository
    }
}
