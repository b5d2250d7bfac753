/// A trie of byte strings. Node 0 is the root (the empty string); every other node is one byte
/// longer than its parent and has a larger number, so a walk only ever moves to larger numbers.
struct ByteTrie: Sendable, Hashable {
    /// The children of each node by their byte.
    private var children: [[UInt8: Int]] = [[:]]
    /// Whether each node ends one of the strings.
    private(set) var isTerminal: [Bool] = [false]

    /// The trie of `strings`.
    init(_ strings: [[UInt8]]) {
        for string in strings {
            var node = 0
            for byte in string {
                if let child = children[node][byte] {
                    node = child
                } else {
                    children.append([:])
                    isTerminal.append(false)
                    children[node][byte] = children.count - 1
                    node = children.count - 1
                }
            }
            isTerminal[node] = true
        }
    }

    /// The root, the node of the empty string.
    static let root = 0

    /// The number of nodes.
    var count: Int { children.count }

    /// The bytes that continue `node`, ascending.
    func nextBytes(_ node: Int) -> [UInt8] {
        children[node].keys.sorted()
    }

    /// The node reached by reading `bytes` from `node`, or nil when they leave the trie.
    func walk(from node: Int, _ bytes: [UInt8]) -> Int? {
        var current = node
        for byte in bytes {
            guard let next = children[current][byte] else { return nil }
            current = next
        }
        return current
    }
}
