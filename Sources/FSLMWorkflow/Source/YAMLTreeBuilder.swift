/// Builds one document's node tree from parse events, on an explicit stack so deep nesting
/// cannot overflow the call stack. Expands aliases (within limits), applies merge keys (`<<`)
/// and reports duplicate keys, unknown aliases and a second document.
struct YAMLTreeBuilder {
    /// A finished node, with what alias expansion needs to know about it.
    private struct Built {
        var node: YAMLNode
        /// Nodes in the subtree, alias expansions included.
        var size: Int
        /// Collection levels in the subtree (0 for a scalar).
        var height: Int
    }

    /// What a mapping's last key asks of the value that follows it.
    private enum PendingKey {
        case key(YAMLNode)
        case duplicate
        case merge
    }

    /// A mapping entry in file order; merged entries are resolved when the mapping ends.
    private enum Entry {
        case pair(YAMLPair)
        case merge([YAMLPair])
    }

    /// A sequence or mapping whose end event has not come yet.
    private struct Open {
        let isMapping: Bool
        let flow: Bool
        let startLine: Int
        let location: SourceLocation
        let tag: String?
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [Entry] = []
        var pendingKey: PendingKey?
        /// Where each explicit scalar key was first written.
        var keyLocations: [String: SourceLocation] = [:]
        var size = 1
        var height = 1
    }

    let source: SourceFile
    let limits: YAMLLoader.Limits
    private(set) var diagnostics: [Diagnostic] = []
    /// The document's root, once it is complete.
    private(set) var root: YAMLNode?
    /// The last line of the document when building reached its end, nil when it stopped early.
    private(set) var lastLine: Int?
    /// Lines whose leading whitespace is not indentation: scalar continuation lines inside block
    /// scalars and quoted scalars, and lines inside flow collections.
    private(set) var contentLines: [ClosedRange<Int>] = []
    private var stack: [Open] = []
    private var anchors: [String: Built] = [:]
    private var expandedNodes = 0
    private var documents = 0

    init(source: SourceFile, limits: YAMLLoader.Limits) {
        self.source = source
        self.limits = limits
    }

    /// Takes in one event; false when building stops (the end, or a problem that ends it).
    mutating func handle(_ event: YAMLEvent) -> Bool {
        switch event.kind {
        case .documentStart:
            documents += 1
            guard documents > 1 else { return true }
            lastLine = event.start.line - 1
            report(.multipleDocuments, "a workflow file holds one YAML document; found a second one here",
                   at: location(event.start))
            return false
        case .streamEnd:
            lastLine = source.lineCount
            return false
        case .scalar(let scalar):
            if scalar.style != .plain { noteContentLines(event.start.line, through: event.end) }
            let node = YAMLNode(.scalar(scalar), at: contentStart(of: event), tag: event.tag)
            attach(Built(node: node, size: 1, height: 0), anchor: event.anchor)
            return true
        case .alias(let name):
            return expandAlias(name, at: location(event.start))
        case .sequenceStart(let flow), .mappingStart(let flow):
            guard stack.count < limits.maxDepth else {
                reportTooDeep(at: location(event.start))
                return false
            }
            var isMapping = false
            if case .mappingStart = event.kind { isMapping = true }
            stack.append(Open(isMapping: isMapping, flow: flow, startLine: event.start.line,
                              location: contentStart(of: event), tag: event.tag, anchor: event.anchor))
            return true
        case .collectionEnd:
            guard let open = stack.popLast() else { return true }
            if open.flow { noteContentLines(open.startLine, through: event.end) }
            attach(finish(open), anchor: open.anchor)
            return true
        }
    }

    private mutating func expandAlias(_ name: String, at location: SourceLocation) -> Bool {
        guard let target = anchors[name] else {
            report(.unknownAlias, "unknown alias '*\(name)': no anchor '&\(name)' is defined before it", at: location)
            attach(Built(node: YAMLNode(.scalar(YAMLScalar("")), at: location), size: 1, height: 0), anchor: nil)
            return true
        }
        expandedNodes += target.size
        guard expandedNodes <= limits.maxAliasExpansion else {
            report(.aliasLimit,
                   "alias expansion exceeds \(limits.maxAliasExpansion) nodes (a 'billion laughs' document?)",
                   at: location)
            return false
        }
        guard stack.count + target.height <= limits.maxDepth else {
            reportTooDeep(at: location)
            return false
        }
        attach(target, anchor: nil)
        return true
    }

    /// Adds a finished node to the open collection, or makes it the root.
    private mutating func attach(_ built: Built, anchor: String?) {
        if let anchor { anchors[anchor] = built }
        guard !stack.isEmpty else {
            root = built.node
            return
        }
        let top = stack.count - 1
        stack[top].size += built.size
        stack[top].height = max(stack[top].height, built.height + 1)
        guard stack[top].isMapping else {
            stack[top].items.append(built.node)
            return
        }
        switch stack[top].pendingKey {
        case nil:
            stack[top].pendingKey = registerKey(built.node, in: top)
            return
        case .key(let key):
            stack[top].entries.append(.pair(YAMLPair(key: key, value: built.node)))
        case .duplicate:
            break
        case .merge:
            stack[top].entries.append(.merge(mergedPairs(built.node)))
        }
        stack[top].pendingKey = nil
    }

    /// Classifies a new key of the mapping at `top`, reporting it if it repeats an earlier one.
    private mutating func registerKey(_ key: YAMLNode, in top: Int) -> PendingKey {
        guard let scalar = key.scalar else { return .key(key) }
        if scalar.style == .plain, scalar.text == "<<", key.tag == nil { return .merge }
        if let first = stack[top].keyLocations[scalar.text] {
            diagnostics.append(.error(.duplicateKey, "duplicate key '\(scalar.text)' in mapping", at: key.location,
                                      notes: [Diagnostic.Note("first defined here", at: first)]))
            return .duplicate
        }
        stack[top].keyLocations[scalar.text] = key.location
        return .key(key)
    }

    /// The entries a merge key's value brings: a mapping's, or those of a list of mappings.
    private mutating func mergedPairs(_ value: YAMLNode) -> [YAMLPair] {
        if let pairs = value.mapping { return pairs }
        if let items = value.sequence {
            let mappings = items.compactMap(\.mapping)
            if mappings.count == items.count { return mappings.flatMap { $0 } }
        }
        report(.yamlSyntax, "the merge key '<<' takes a mapping or a list of mappings, not \(value.kindDescription)",
               at: value.location)
        return []
    }

    /// The node for a collection whose end event came. Explicit keys win over merged ones,
    /// and earlier merged mappings over later ones.
    private func finish(_ open: Open) -> Built {
        guard open.isMapping else {
            return Built(node: YAMLNode(.sequence(open.items), at: open.location, tag: open.tag),
                         size: open.size, height: open.height)
        }
        var taken = Set(open.keyLocations.keys)
        var pairs: [YAMLPair] = []
        for entry in open.entries {
            switch entry {
            case .pair(let pair):
                pairs.append(pair)
            case .merge(let merged):
                for pair in merged {
                    if let text = pair.key.scalar?.text, !taken.insert(text).inserted { continue }
                    pairs.append(pair)
                }
            }
        }
        return Built(node: YAMLNode(.mapping(pairs), at: open.location, tag: open.tag),
                     size: open.size, height: open.height)
    }

    /// Records lines after `startLine` up to `end` as content (an end at column 1 is not on its line).
    private mutating func noteContentLines(_ startLine: Int, through end: YAMLMark) {
        let last = end.column == 1 ? end.line - 1 : end.line
        if last > startLine { contentLines.append((startLine + 1)...last) }
    }

    private func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(file: source.path, line: mark.line, column: mark.column)
    }

    /// Where a node's content starts: libyaml starts a node at its anchor or tag, so step past
    /// those, blanks, comments and line breaks, but never beyond the event's end.
    private func contentStart(of event: YAMLEvent) -> SourceLocation {
        guard event.anchor != nil || event.tag != nil else { return location(event.start) }
        var line = event.start.line, index = event.start.column - 1
        var text = Array((source.line(line) ?? "").unicodeScalars)
        while (line, index + 1) <= (event.end.line, event.end.column) {
            guard index < text.count else {
                line += 1
                index = 0
                text = Array((source.line(line) ?? "").unicodeScalars)
                continue
            }
            switch text[index] {
            case " ", "\t": index += 1
            case "#": index = text.count
            case "&", "!": while index < text.count, text[index] != " ", text[index] != "\t" { index += 1 }
            default: return SourceLocation(file: source.path, line: line, column: index + 1)
            }
        }
        return location(event.start)
    }

    private mutating func report(_ id: DiagnosticID, _ message: String, at location: SourceLocation) {
        diagnostics.append(.error(id, message, at: location))
    }

    private mutating func reportTooDeep(at location: SourceLocation) {
        report(.yamlSyntax, "nesting is too deep: more than \(limits.maxDepth) levels of lists and mappings",
               at: location)
    }
}
