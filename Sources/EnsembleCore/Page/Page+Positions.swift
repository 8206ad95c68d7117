extension Page {
    /// The page of `items` that `request` asks for: the items after its cursor, at most its
    /// limit, and the cursor of the next page (`nil` on the last).
    ///
    /// For the short lists read whole (projects, worker types, workers, a queue's tasks): the
    /// items come in the order of their `position` (its key, then its id, by UTF-8 bytes, as the
    /// store sorts text), so a cursor is a position as for tickets, and an item added or removed
    /// between pages never makes another one skip or repeat.
    package init(of items: [Item], _ request: PageRequest, position: (Item) -> PageCursor) {
        let after = request.after
        let rest = after.map { cursor in items.filter { Self.precedes(cursor, position($0)) } } ?? items
        let shown = Array(rest.prefix(request.limit))
        self.init(items: shown, next: rest.count > request.limit ? shown.last.map(position) : nil)
    }

    /// Whether `first` comes before `second` in list order.
    private static func precedes(_ first: PageCursor, _ second: PageCursor) -> Bool {
        if first.key != second.key { return first.key.utf8.lexicographicallyPrecedes(second.key.utf8) }
        return first.id.utf8.lexicographicallyPrecedes(second.id.utf8)
    }
}

extension QueueTask {
    /// Where the task stands in its queue's hand-out order (claimed first, then the most urgent,
    /// then the oldest), as a page position: the store's order of `get_queue_tasks`.
    ///
    /// Unlike a ticket's, this position moves when the task is claimed or its priority changes:
    /// a task that moves before a cursor between pages is not shown again on the later pages.
    /// A queue holds a handful of tasks, which the default page shows whole.
    package var handOutPosition: PageCursor {
        let digits = String(id.rawValue)
        return PageCursor(
            key: "\(state == .queued ? 1 : 0)\(TicketPriority.urgent.rank - priority.rank)",
            id: String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        )
    }
}
