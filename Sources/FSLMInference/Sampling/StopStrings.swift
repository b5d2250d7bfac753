/// Cuts streamed text at the first stop string, even one split across several pieces, without
/// ever emitting any part of it.
///
/// Pieces of decoded text are `push`ed as they are generated. The matcher emits text as soon as
/// it cannot be the beginning of a stop string and holds back the rest: the longest suffix of
/// the text not yet emitted that is a proper prefix of some stop string. When a stop string is
/// complete, the text emitted is exactly the text before it and the matcher is stopped; when
/// several are complete after the same push, the one that begins first wins (so the text never
/// contains a stop string). Text is compared by Unicode scalars, so "e" + U+0301 contains the
/// stop string "e". Empty stop strings are ignored. `finish` returns the text held back at the
/// end of generation.
///
/// With stop string "\nW", pushing "Hel" emits "Hel"; pushing "lo\nWor" then emits "lo" and stops.
public struct StopStrings: Sendable, Hashable {
    /// The stop strings looked for (empty ones left out), as Unicode scalars.
    private let stops: [[Unicode.Scalar]]
    /// Scalars pushed but not yet emitted.
    private var pending: [Unicode.Scalar] = []
    /// The stop string that stopped the text, once one did.
    public private(set) var matched: String?

    /// A matcher for `stops`.
    public init(_ stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// Whether a stop string was found; later pushes emit nothing.
    public var isStopped: Bool { matched != nil }

    /// The text held back, as it may begin a stop string.
    public var heldBack: String { String(String.UnicodeScalarView(pending)) }

    /// Adds the next piece of generated text. Returns the text that can be emitted now, and
    /// whether a stop string ended the text (then nothing after its start is ever emitted).
    public mutating func push(_ text: String) -> (emit: String, stopped: Bool) {
        guard !isStopped else { return ("", true) }
        pending.append(contentsOf: text.unicodeScalars)

        if let (start, stop) = firstMatch() {
            matched = String(String.UnicodeScalarView(stop))
            let emit = String(String.UnicodeScalarView(pending[..<start]))
            pending = []
            return (emit, true)
        }

        let keep = heldBackCount()
        let emit = String(String.UnicodeScalarView(pending[..<(pending.count - keep)]))
        pending.removeFirst(pending.count - keep)
        return (emit, false)
    }

    /// Ends the text: returns what was held back (nothing once stopped).
    public mutating func finish() -> String {
        defer { pending = [] }
        return isStopped ? "" : heldBack
    }

    /// The earliest start of a stop string in `pending`, with that stop string (the shortest
    /// when several begin there).
    private func firstMatch() -> (start: Int, stop: [Unicode.Scalar])? {
        var best: (start: Int, stop: [Unicode.Scalar])?
        for stop in stops where stop.count <= pending.count {
            for start in 0...(pending.count - stop.count) {
                if let current = best, (current.start, current.stop.count) <= (start, stop.count) { break }
                if pending[start..<(start + stop.count)].elementsEqual(stop) {
                    best = (start, stop)
                    break
                }
            }
        }
        return best
    }

    /// The length of the longest suffix of `pending` that is a proper prefix of a stop string.
    private func heldBackCount() -> Int {
        var longest = 0
        for stop in stops {
            let limit = min(stop.count - 1, pending.count)
            guard limit > longest else { continue }
            for length in stride(from: limit, to: longest, by: -1)
            where pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                longest = length
                break
            }
        }
        return longest
    }
}
