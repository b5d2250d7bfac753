internal import Foundation

/// The third stage: byte-pair encoding of each piece (`model` in tokenizer.json, type `BPE`).
///
/// A piece starts as one symbol per scalar (with `continuing_subword_prefix` /
/// `end_of_word_suffix` when set); a scalar missing from the vocabulary becomes its
/// `<0xXX>` byte tokens with `byte_fallback`, else the unknown token (fused with a previous
/// one under `fuse_unk`), else it is dropped. Then the pair with the lowest merge rank is merged,
/// leftmost first, until no pair has a merge.
final class BPEModel: Sendable {
    let tokenToID: [ByteString: Int]
    /// `idToToken[id]`; nil for ids the vocabulary skips.
    let idToToken: [String?]
    /// (left id << 32 | right id) → merge.
    private let merges: [UInt64: Merge]
    /// Ids of single-scalar tokens, the usual first symbols.
    private let scalarIDs: [UInt32: Int]
    /// `<0x00>`…`<0xFF>` when `byte_fallback` is on and all are in the vocabulary.
    let byteFallbackIDs: [Int]?
    /// `byte_fallback` with only some `<0xXX>` tokens: looked up one by one.
    private let partialByteFallback: Bool
    let unknownID: Int?
    private let fuseUnknown: Bool
    private let ignoreMerges: Bool
    private let prefix: [Unicode.Scalar]?
    private let suffix: [Unicode.Scalar]?
    private let cache = BPECache(capacity: 10_000)

    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    init(_ field: JSONField) throws(TokenizerError) {
        if let type = field["type"] {
            let name = try type.string()
            guard name == "BPE" else {
                throw type.error("unknown model type '\(name)' (fslm implements: BPE)")
            }
        } else if field["merges"] == nil {
            throw field.error("a model with no 'type' and no 'merges': fslm implements BPE only")
        }
        // `dropout` (random merge skipping, for training) is read but not applied: encoding is
        // deterministic.
        _ = try field["dropout"]?.double()
        // Vocabulary.
        var tokenToID: [ByteString: Int] = [:]
        let vocab = try field.required("vocab").members()
        tokenToID.reserveCapacity(vocab.count)
        var maxID = -1
        for (token, idField) in vocab {
            let id = try idField.int()
            guard id >= 0 && id < 10_000_000 else { throw idField.error("token id \(id) out of range") }
            tokenToID[ByteString(token)] = id
            maxID = max(maxID, id)
        }
        var idToToken = [String?](repeating: nil, count: maxID + 1)
        var scalarIDs: [UInt32: Int] = [:]
        for (token, idField) in vocab {
            let id = try idField.int()
            idToToken[id] = token
            let scalars = token.unicodeScalars
            if scalars.count == 1, tokenToID[ByteString(token)] == id { scalarIDs[scalars.first!.value] = id }
        }
        self.tokenToID = tokenToID
        self.idToToken = idToToken
        self.scalarIDs = scalarIDs

        func optionalAffix(_ key: String) throws(TokenizerError) -> [Unicode.Scalar]? {
            guard let text = try field.string(key), !text.isEmpty else { return nil }
            return Array(text.unicodeScalars)
        }
        prefix = try optionalAffix("continuing_subword_prefix")
        suffix = try optionalAffix("end_of_word_suffix")
        fuseUnknown = try field.bool("fuse_unk", default: false)
        ignoreMerges = try field.bool("ignore_merges", default: false)
        if let unkField = field["unk_token"] {
            let unk = try unkField.string()
            guard let id = tokenToID[ByteString(unk)] else { throw unkField.error("unk_token '\(unk)' is not in the vocabulary") }
            unknownID = id
        } else {
            unknownID = nil
        }
        if try field.bool("byte_fallback", default: false) {
            var ids: [Int] = []
            for byte in 0..<256 {
                guard let id = tokenToID[ByteString(String(format: "<0x%02X>", byte))] else { break }
                ids.append(id)
            }
            // As in Rust: a scalar falls back only when all its bytes have tokens; with a
            // partial set, look up each byte when needed.
            byteFallbackIDs = ids.count == 256 ? ids : nil
            partialByteFallback = ids.count != 256
        } else {
            byteFallbackIDs = nil
            partialByteFallback = false
        }

        // Merges: "a b" strings or ["a", "b"] pairs; a later duplicate wins, as in a Rust HashMap.
        let prefixLength = prefix.map { $0.utf8.count } ?? 0
        var merges: [UInt64: Merge] = [:]
        let mergeFields = try field["merges"]?.elements() ?? []
        merges.reserveCapacity(mergeFields.count)
        for (rank, mergeField) in mergeFields.enumerated() {
            let left: String, right: String
            switch mergeField.value {
            case .string(let line):
                let parts = line.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw mergeField.error("expected \"left right\" (two tokens and one space), found '\(line)'") }
                left = String(parts[0]); right = String(parts[1])
            case .array(let items):
                guard items.count == 2, case .string(let a) = items[0], case .string(let b) = items[1] else {
                    throw mergeField.error("expected a pair of strings")
                }
                left = a; right = b
            default:
                throw mergeField.error("expected \"left right\" or [\"left\", \"right\"], found \(mergeField.value.typeName)")
            }
            guard let leftID = tokenToID[ByteString(left)] else { throw mergeField.error("merge token '\(left)' is not in the vocabulary") }
            guard let rightID = tokenToID[ByteString(right)] else { throw mergeField.error("merge token '\(right)' is not in the vocabulary") }
            let rightBytes = Array(right.utf8)
            let merged = Array(left.utf8) + rightBytes[min(prefixLength, rightBytes.count)...]
            guard let mergedID = tokenToID[ByteString(merged)] else {
                throw mergeField.error("merged token '\(String(decoding: merged, as: UTF8.self))' is not in the vocabulary")
            }
            merges[UInt64(leftID) << 32 | UInt64(rightID)] = Merge(rank: Int32(rank), result: Int32(mergedID))
        }
        self.merges = merges
    }

    var vocabularyCount: Int { tokenToID.count }

    func id(of token: String) -> Int? { tokenToID[ByteString(token)] }

    func token(of id: Int) -> String? {
        id >= 0 && id < idToToken.count ? idToToken[id] : nil
    }

    /// The ids of one piece.
    func tokenize(_ word: [Unicode.Scalar]) -> [Int] {
        if word.isEmpty { return [] }
        if ignoreMerges, let id = tokenToID[ByteString(word)] { return [id] }
        let cacheable = word.count < 256
        if cacheable, let hit = cache[word] { return hit }
        let ids = merge(initialSymbols(word))
        if cacheable { cache[word] = ids }
        return ids
    }

    /// One symbol per scalar: (id, byte length) pairs.
    private func initialSymbols(_ word: [Unicode.Scalar]) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(word.count)
        var pendingUnknown = false
        for (index, scalar) in word.enumerated() {
            let isFirst = index == 0, isLast = index == word.count - 1
            var id: Int?
            var affixed: [Unicode.Scalar]?
            if (prefix != nil && !isFirst) || (suffix != nil && isLast) {
                var text: [Unicode.Scalar] = [scalar]
                if let prefix, !isFirst { text = prefix + text }
                if let suffix, isLast { text += suffix }
                id = tokenToID[ByteString(text)]
                affixed = text
            } else {
                id = scalarIDs[scalar.value]
            }
            if let id {
                if pendingUnknown, let unknownID { ids.append(unknownID) }
                pendingUnknown = false
                ids.append(id)
                continue
            }
            if byteFallbackIDs != nil || partialByteFallback, let bytes = byteFallback(affixed ?? [scalar]) {
                // Rust adds byte tokens without flushing a pending unknown first.
                ids.append(contentsOf: bytes)
                continue
            }
            if let unknownID {
                if pendingUnknown && !fuseUnknown { ids.append(unknownID) }
                pendingUnknown = true
            }
        }
        if pendingUnknown, let unknownID { ids.append(unknownID) }
        return ids
    }

    private func byteFallback(_ text: [Unicode.Scalar]) -> [Int]? {
        if let byteFallbackIDs { return text.utf8.map { byteFallbackIDs[Int($0)] } }
        guard partialByteFallback else { return nil }
        var ids: [Int] = []
        for byte in text.utf8 {
            guard let id = tokenToID[ByteString(String(format: "<0x%02X>", byte))] else { return nil }
            ids.append(id)
        }
        return ids
    }

    /// Applies merges, lowest rank first, leftmost among equal ranks.
    private func merge(_ ids: [Int]) -> [Int] {
        if ids.count < 2 { return ids }
        var symbols = ids
        var previous = Array(-1..<(ids.count - 1))
        var next = Array(1...ids.count)
        next[ids.count - 1] = -1
        var alive = [Bool](repeating: true, count: ids.count)
        var queue = MergeQueue()
        for position in 0..<(ids.count - 1) {
            if let merge = merges[UInt64(symbols[position]) << 32 | UInt64(symbols[position + 1])] {
                queue.push(.init(rank: merge.rank, position: Int32(position), result: merge.result))
            }
        }
        while let top = queue.pop() {
            let position = Int(top.position)
            guard alive[position], next[position] != -1 else { continue }
            let right = next[position]
            // Skip entries that went stale when a neighbour merged.
            guard let merge = merges[UInt64(symbols[position]) << 32 | UInt64(symbols[right])], merge.result == top.result else { continue }
            symbols[position] = Int(top.result)
            alive[right] = false
            next[position] = next[right]
            if next[right] != -1 { previous[next[right]] = position }
            if previous[position] != -1 {
                let left = previous[position]
                if let merge = merges[UInt64(symbols[left]) << 32 | UInt64(symbols[position])] {
                    queue.push(.init(rank: merge.rank, position: Int32(left), result: merge.result))
                }
            }
            if next[position] != -1 {
                if let merge = merges[UInt64(symbols[position]) << 32 | UInt64(symbols[next[position]])] {
                    queue.push(.init(rank: merge.rank, position: Int32(position), result: merge.result))
                }
            }
        }
        var out: [Int] = []
        var position = 0
        while position != -1 {
            out.append(symbols[position])
            position = next[position]
        }
        return out
    }
}

/// A binary min-heap of pending merges ordered by (rank, position).
private struct MergeQueue {
    struct Entry {
        let rank: Int32
        let position: Int32
        let result: Int32

        static func < (a: Entry, b: Entry) -> Bool {
            a.rank != b.rank ? a.rank < b.rank : a.position < b.position
        }
    }

    private var heap: [Entry] = []

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && heap[left] < heap[smallest] { smallest = left }
                if right < heap.count && heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}

/// Piece → ids, shared across threads; stops growing at `capacity` (as the Rust cache does).
final class BPECache: @unchecked Sendable {
    // Guarded by `lock`.
    private var entries: [[Unicode.Scalar]: [Int]] = [:]
    private let lock = NSLock()
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    subscript(word: [Unicode.Scalar]) -> [Int]? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return entries[word]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            if entries.count < capacity { entries[word] = newValue }
        }
    }
}
