import EnsembleCore

/// A page of a list as every paged tool answers it: the items under the list's name, `count`
/// (the items of this page), `next_cursor` (`null` on the last page, so a client sees there is
/// no more), and any fixed fields of the list.
struct PagedList<Item: Encodable & Sendable>: Encodable, Sendable {
    let name: String
    let page: Page<Item>
    let fields: [String: String]

    /// `page` of the list called `name`, with `fields` beside it.
    init(key name: String, _ page: Page<Item>, with fields: [String: String] = [:]) {
        self.name = name
        self.page = page
        self.fields = fields
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(page.items, forKey: Key(name))
        try container.encode(page.items.count, forKey: Key("count"))
        try container.encode(page.next?.text, forKey: Key("next_cursor"))
        for (field, value) in fields {
            try container.encode(value, forKey: Key(field))
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
