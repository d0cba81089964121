import Store

/// Every item of a paginated store read (the API's lists), page after page.
func allPages<T>(_ fetch: (String?) throws -> Page<T>) throws -> [T] {
    var items: [T] = []
    var cursor: String?
    repeat {
        let page = try fetch(cursor)
        items += page.items
        cursor = page.nextCursor
    } while cursor != nil
    return items
}
