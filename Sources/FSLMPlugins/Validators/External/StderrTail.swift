/// The end of what a validator printed on stderr, kept for error messages.
///
/// Everything the process writes is read (so it never blocks on a full pipe) but only the
/// last `capacity` bytes are kept; `text` shows at most the last 20 lines and 2 KiB.
struct StderrTail: Sendable {
    static let capacity = 4096
    static let maxLines = 20
    static let maxBytes = 2048

    private var bytes: [UInt8] = []
    /// Bytes dropped from the front so far.
    private(set) var dropped = 0

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        if chunk.count >= Self.capacity {
            dropped += bytes.count + chunk.count - Self.capacity
            bytes = Array(chunk.suffix(Self.capacity))
            return
        }
        bytes.append(contentsOf: chunk)
        if bytes.count > Self.capacity {
            let excess = bytes.count - Self.capacity
            bytes.removeFirst(excess)
            dropped += excess
        }
    }

    /// The last lines, or nil when nothing but whitespace was printed.
    var text: String? {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        if lines.isEmpty { return nil }
        var cut = dropped > 0
        if lines.count > Self.maxLines {
            lines = Array(lines.suffix(Self.maxLines))
            cut = true
        }
        var shown = lines.joined(separator: "\n")
        if shown.utf8.count > Self.maxBytes {
            // A character cut in two at the front shows as U+FFFD.
            shown = String(decoding: shown.utf8.suffix(Self.maxBytes), as: UTF8.self)
            cut = true
        }
        return cut ? "…\n" + shown : shown
    }
}
