/// One server-sent event: its `event:` name, if any, and its `data:` lines joined by newlines.
public struct ServerSentEvent: Sendable, Hashable {
    public var event: String?
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }

    /// The event as it is sent: `event: NAME` (when named), a `data:` line per line of data,
    /// and the blank line that ends it.
    public var encoded: String {
        var text = event.map { "event: \($0)\n" } ?? ""
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        return text + "\n"
    }

    /// `data: [DONE]`, which ends an OpenAI stream.
    public static let done = ServerSentEvent(data: "[DONE]")
}

/// Reads server-sent events from a byte stream that arrives in pieces of any size.
///
/// Lines end with LF or CRLF; a blank line ends an event; `data:` lines accumulate (one space
/// after the colon is dropped); `event:` names the event; comment lines (`:`) and other fields
/// (`id:`, `retry:`) are ignored. An event is given out only once its blank line has arrived,
/// so a stream cut in the middle of one never yields a partial event: `hasPartialEvent` tells.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var event: String?

    public init() {}

    /// The events completed by `bytes`, in order.
    public mutating func push(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                continue
            }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let complete = take(String(decoding: line, as: UTF8.self)) { events.append(complete) }
            line.removeAll(keepingCapacity: true)
        }
        return events
    }

    /// True when the bytes so far end inside an event (a line or event without its end).
    public var hasPartialEvent: Bool { !line.isEmpty || !data.isEmpty || event != nil }

    /// Applies one line; returns the event a blank line completes.
    private mutating func take(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer { data = []; event = nil }
            guard !data.isEmpty || event != nil else { return nil }
            return ServerSentEvent(event: event, data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            let rest = line[line.index(after: colon)...]
            value = rest.hasPrefix(" ") ? rest.dropFirst() : rest
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "data": data.append(String(value))
        case "event": event = String(value)
        default: break
        }
        return nil
    }
}
