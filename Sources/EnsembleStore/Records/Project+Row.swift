import EnsembleCore
import GRDB

extension Project {
    /// Reads a row of `projects`.
    init(row: Row) {
        self.init(
            repositoryName: row.identifier("repository_name"),
            path: row["path"],
            description: row["description"],
            rules: row["rules"],
            patterns: row["patterns"],
            createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at")
        )
    }
}
