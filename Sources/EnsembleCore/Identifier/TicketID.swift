/// A ticket's identifier, chosen by the coordinator or generated as `PREFIX-N`.
package struct TicketID: StringIdentifier {
    package static let kind = "ticket id"
    package let rawValue: String

    package init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }
}
