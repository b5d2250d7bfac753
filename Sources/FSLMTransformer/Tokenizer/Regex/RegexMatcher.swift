/// Backtracking matcher in continuation-passing style: `match(node, at, then)` tries each way
/// `node` can match at `at`, in priority order, and asks `then` whether the rest matches.
struct RegexMatcher {
    let text: UnsafeBufferPointer<Unicode.Scalar>

    func firstMatch(_ root: RegexNode, from: Int) -> Range<Int>? {
        var start = from
        while start <= text.count {
            var end = -1
            if match(root, start, { end = $0; return true }) { return start..<end }
            start += 1
        }
        return nil
    }

    /// The width-one test of a node, for the fast path of repetitions.
    @inline(__always)
    private func single(_ node: RegexNode, _ scalar: Unicode.Scalar) -> Bool? {
        switch node {
        case .scalar(let c): return scalar == c
        case .foldedScalar(let c): return CaseFolding.fold(scalar) == c
        case .set(let set): return set.contains(scalar)
        default: return nil
        }
    }

    private func isSingle(_ node: RegexNode) -> Bool {
        switch node {
        case .scalar, .foldedScalar, .set: true
        default: false
        }
    }

    func match(_ node: RegexNode, _ i: Int, _ next: (Int) -> Bool) -> Bool {
        switch node {
        case .scalar(let c):
            return i < text.count && text[i] == c && next(i + 1)
        case .foldedScalar(let c):
            return i < text.count && CaseFolding.fold(text[i]) == c && next(i + 1)
        case .set(let set):
            return i < text.count && set.contains(text[i]) && next(i + 1)
        case .sequence(let nodes):
            return sequence(nodes, 0, i, next)
        case .alternation(let branches):
            for branch in branches where match(branch, i, next) { return true }
            return false
        case .repetition(let inner, let min, let max, let greedy):
            if isSingle(inner) {
                // Count the run once, then try the lengths in priority order.
                var run = 0
                while run < max, i + run < text.count, single(inner, text[i + run]) == true { run += 1 }
                if run < min { return false }
                if greedy {
                    var length = run
                    while length >= min {
                        if next(i + length) { return true }
                        length -= 1
                    }
                } else {
                    for length in min...run where next(i + length) { return true }
                }
                return false
            }
            return repeatMatch(inner, min, max, greedy, 0, i, next)
        case .atomic(let inner):
            var end = -1
            guard match(inner, i, { end = $0; return true }) else { return false }
            return next(end)
        case .lookahead(let inner, let negative):
            let found = match(inner, i) { _ in true }
            return found != negative && next(i)
        case .lookbehind(let inner, let negative):
            var found = false
            var start = i
            while start >= 0 && !found {
                found = match(inner, start) { $0 == i }
                start -= 1
            }
            return found != negative && next(i)
        case .assertion(let assertion):
            return holds(assertion, i) && next(i)
        }
    }

    private func sequence(_ nodes: [RegexNode], _ index: Int, _ i: Int, _ next: (Int) -> Bool) -> Bool {
        if index == nodes.count { return next(i) }
        return match(nodes[index], i) { j in sequence(nodes, index + 1, j, next) }
    }

    private func repeatMatch(_ inner: RegexNode, _ min: Int, _ max: Int, _ greedy: Bool, _ count: Int, _ i: Int,
                             _ next: (Int) -> Bool) -> Bool {
        if count < min {
            return match(inner, i) { j in repeatMatch(inner, min, max, greedy, count + 1, j, next) }
        }
        // An iteration that consumes nothing ends the loop (no infinite empty repeats).
        if greedy {
            if count < max && match(inner, i, { j in j != i && repeatMatch(inner, min, max, greedy, count + 1, j, next) }) {
                return true
            }
            return next(i)
        }
        if next(i) { return true }
        return count < max && match(inner, i) { j in j != i && repeatMatch(inner, min, max, greedy, count + 1, j, next) }
    }

    private static let word = ScalarSet.item(.word)

    private func isWord(_ i: Int) -> Bool {
        i >= 0 && i < text.count && Self.word.contains(text[i])
    }

    private func holds(_ assertion: RegexNode.Assertion, _ i: Int) -> Bool {
        switch assertion {
        case .lineStart: return i == 0 || text[i - 1] == "\n"
        case .lineEnd: return i == text.count || text[i] == "\n"
        case .textStart: return i == 0
        case .textEnd: return i == text.count
        case .textEndBeforeNewline: return i == text.count || (i == text.count - 1 && text[i] == "\n")
        case .wordBoundary: return isWord(i - 1) != isWord(i)
        case .notWordBoundary: return isWord(i - 1) == isWord(i)
        }
    }
}
