/// Keeps the output to exactly one of a list of strings, token by token, for any backend with a
/// `TokenVocabulary`.
///
/// The choices' UTF-8 make a byte trie; the state is the trie node of the bytes generated so far
/// (the text is a prefix of at least one choice). From node n:
///
///     token t reaches m   ⇔   t is a text token and reading bytes(t) from n stays in the trie, ending at m
///     m is viable         ⇔   m ends a choice, or some token reaches a viable node from m
///     allowed(n)          =   { t : t reaches a viable m from n }  ∪  { end-of-sequence ids, if n ends a choice }
///
/// So a token may span several bytes of a choice but never go past its end, only token paths
/// that can still spell a whole choice are allowed (no dead ends), choices sharing a prefix
/// ("yes", "yes please") stay open together, and once the text is a whole choice the sequence
/// may end there, or must when no longer choice continues it. Empty and control tokens are
/// never allowed. The allowed list of each node is computed the first time it is needed and
/// kept (also across `reset`).
///
/// One leading space is allowed before a choice: most tokenizers attach the space after "Kind:"
/// to the next word (" arithmetic" is one token), and outputs are trimmed before they are used.
///
/// After an end-of-sequence token the output is complete and nothing more is allowed; after a
/// token that was not allowed the constraint is impossible (nothing allowed, not complete).
public struct ChoicesConstraint: TokenConstraint {
    /// The strings the output may be.
    public let choices: [String]
    /// The tokens generation draws from.
    public let vocabulary: TokenVocabulary

    private let trie: ByteTrie
    private var position: Position = .node(ByteTrie.root)
    /// The text tokens that stay in the trie from a node, with the node each reaches.
    private var edgesCache: [Int: [Edge]] = [:]
    /// Whether a whole choice can still be spelled from a node.
    private var viableCache: [Int: Bool] = [:]
    private var allowedCache: [Int: [Int]] = [:]

    private enum Position: Hashable {
        /// The text so far is the string of this trie node.
        case node(Int)
        /// An end-of-sequence token ended a whole choice.
        case ended
        /// A token that was not allowed was accepted.
        case impossible
    }

    private struct Edge: Hashable {
        var token: Int
        var target: Int
    }

    /// Allows exactly the strings of `choices` (none: nothing is ever allowed) over `vocabulary`.
    public init(choices: [String], vocabulary: TokenVocabulary) {
        self.choices = choices
        self.vocabulary = vocabulary
        self.trie = ByteTrie(choices.flatMap { [Array($0.utf8), Array(" \($0)".utf8)] })
    }

    public var isComplete: Bool {
        switch position {
        case .node(let node): trie.isTerminal[node]
        case .ended: true
        case .impossible: false
        }
    }

    /// Whether a token that was not allowed was accepted (or one came after the end).
    public var isImpossible: Bool { position == .impossible }

    public mutating func allowedTokens() -> [Int] {
        guard case .node(let node) = position else { return [] }
        return allowed(node)
    }

    public mutating func accept(_ token: Int) {
        guard case .node(let node) = position else {
            position = .impossible
            return
        }
        if vocabulary.isEndOfSequence(token) {
            position = trie.isTerminal[node] ? .ended : .impossible
        } else if let edge = edges(node).first(where: { $0.token == token }), isViable(edge.target) {
            position = .node(edge.target)
        } else {
            position = .impossible
        }
    }

    public mutating func reset() {
        position = .node(ByteTrie.root)
    }

    // MARK: - Per-node tables

    private mutating func allowed(_ node: Int) -> [Int] {
        if let known = allowedCache[node] { return known }
        var tokens: [Int] = []
        for edge in edges(node) where isViable(edge.target) {
            tokens.append(edge.token)
        }
        if trie.isTerminal[node] {
            tokens.append(contentsOf: vocabulary.endOfSequence.filter { $0 < vocabulary.count })
        }
        tokens.sort()
        allowedCache[node] = tokens
        return tokens
    }

    private mutating func edges(_ node: Int) -> [Edge] {
        if let known = edgesCache[node] { return known }
        var found: [Edge] = []
        for byte in trie.nextBytes(node) {
            for token in vocabulary.tokens(startingWith: byte) {
                if let target = trie.walk(from: node, vocabulary.bytes[token]) {
                    found.append(Edge(token: token, target: target))
                }
            }
        }
        edgesCache[node] = found
        return found
    }

    /// Depth-first with an explicit stack (choices may be long): a token always reaches a
    /// larger node number, so there are no cycles and each node is decided once.
    private mutating func isViable(_ node: Int) -> Bool {
        var stack = [node]
        while let top = stack.last {
            if viableCache[top] != nil {
                stack.removeLast()
                continue
            }
            if trie.isTerminal[top] {
                viableCache[top] = true
                stack.removeLast()
                continue
            }
            var undecided: Int?
            var viable = false
            for edge in edges(top) {
                switch viableCache[edge.target] {
                case true?: viable = true
                case false?: continue
                case nil: undecided = edge.target
                }
                break
            }
            if viable {
                viableCache[top] = true
                stack.removeLast()
            } else if let undecided {
                stack.append(undecided)
            } else {
                viableCache[top] = false
                stack.removeLast()
            }
        }
        return viableCache[node] ?? false
    }
}
