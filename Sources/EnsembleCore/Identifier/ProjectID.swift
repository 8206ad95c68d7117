/// A project's identifier: its repository name, such as `owner/repo`.
package struct ProjectID: StringIdentifier {
    package static let kind = "project id"
    package let rawValue: String

    package init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }

    package static func isValid(_ raw: String) -> Bool {
        IdentifierRules.isRepositoryName(raw)
    }
}
