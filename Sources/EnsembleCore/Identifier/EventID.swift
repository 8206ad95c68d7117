/// An event's identifier: monotonic, assigned by the store, never reused.
package struct EventID: IntegerIdentifier {
    package let rawValue: Int64

    package init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }
}
