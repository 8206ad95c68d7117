/// A queued task's identifier, assigned by the store.
package struct TaskID: IntegerIdentifier {
    package let rawValue: Int64

    package init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }
}
