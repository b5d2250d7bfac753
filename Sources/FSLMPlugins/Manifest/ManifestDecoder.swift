public import FSLMWorkflow
import Foundation

/// Decodes a `plugin.yaml` node tree into a `PluginManifest`, reporting every problem in
/// one pass: unknown keys (with "did you mean"), wrong types, a missing `name`, names that
/// are not identifiers, validators with both or neither of `kind`/`command`, built-in
/// parameters the built-in rejects, and referenced files (templates, a command given as a
/// relative path) missing from the plugin folder.
public struct ManifestDecoder {
    let reader: NodeReader
    /// The plugin folder as the user named it; referenced files are looked up inside it.
    public let folder: String

    public init(source: SourceFile?, folder: String) {
        self.reader = NodeReader(source: source)
        self.folder = folder
    }

    /// Keys every validator may have.
    static let commonValidatorKeys = ["description", "examples"]
    /// Keys of a validator that runs a command.
    static let commandKeys = ["command", "timeout", "mode"]

    /// The manifest (as complete as the errors allow) and the diagnostics. `path` locates
    /// problems of an empty file; `fallbackName` names the plugin when `name` is unusable.
    public func decode(_ root: YAMLNode?, path: String, fallbackName: String) -> (PluginManifest, [Diagnostic]) {
        var manifest = PluginManifest(name: fallbackName)
        guard let root else {
            reader.report(.error(.missingKey, "the plugin manifest is empty; it needs at least 'name'",
                                 at: SourceLocation(file: path, line: 1, column: 1), notes: [.init("add 'name: \(fallbackName)'")]))
            return (manifest, reader.diagnostics)
        }
        guard let top = reader.mapping(root, "the plugin manifest", allowed: PluginManifest.keys) else {
            return (manifest, reader.diagnostics)
        }
        if let n = top["name"] {
            if let name = reader.string(n, "'name' of the plugin"), checkIdentifier(name, "plugin name", at: n.location) {
                manifest.name = name
                manifest.nameLocation = n.location
            }
        } else {
            reader.report(.error(.missingKey, "missing key 'name' in the plugin manifest", at: root.location,
                                 notes: [.init("add 'name: \(fallbackName)'; workflows list the plugin by this name")]))
        }
        if let v = top["version"] { manifest.version = reader.string(v, "'version' of the plugin") }
        if let d = top["description"] { manifest.description = reader.string(d, "'description' of the plugin") }
        if let t = top["templates"], let entries = reader.mapping(t, "'templates'") {
            for (name, keyNode, value) in entries.entries {
                manifest.declaredTemplateNames.append(name)
                guard checkIdentifier(name, "template name", at: keyNode.location),
                    let file = reader.located(value, "the file of template '\(name)'"),
                    checkFile(file, "template '\(name)' names the file")
                else { continue }
                manifest.templates[name] = file
            }
        }
        if let v = top["validators"], let entries = reader.mapping(v, "'validators'") {
            for (name, keyNode, value) in entries.entries {
                manifest.declaredValidatorNames.append(name)
                guard checkIdentifier(name, "validator name", at: keyNode.location),
                    let declaration = decodeValidator(name, at: keyNode.location, value)
                else { continue }
                manifest.validators[name] = declaration
            }
        }
        return (manifest, reader.diagnostics)
    }

    // MARK: - Validators

    private func decodeValidator(_ name: String, at location: SourceLocation, _ node: YAMLNode) -> ValidatorDeclaration? {
        let what = "validator '\(name)'"
        guard let pairs = node.mapping else {
            reader.typeMismatch(node, what, expected: "a mapping with 'kind' (a built-in) or 'command' (a program)")
            return nil
        }
        let written = Set(pairs.compactMap { $0.key.scalar?.text })
        let hasKind = written.contains("kind"), hasCommand = written.contains("command")
        let allParameters = Set(BuiltinParameters.keys.values.joined()).sorted()
        var allowed = Self.commonValidatorKeys
        switch (hasKind, hasCommand) {
        case (true, false):
            let kind = pairs.first { $0.key.scalar?.text == "kind" }?.value.scalar?.text ?? ""
            allowed += ["kind"] + (BuiltinParameters.keys[kind] ?? allParameters)
        case (false, true):
            allowed += Self.commandKeys
        default:
            allowed += ["kind"] + allParameters + Self.commandKeys
        }
        guard let f = reader.mapping(node, what, allowed: allowed) else { return nil }
        let description = f["description"].flatMap { reader.string($0, "'description' of \(what)") }
        let examples = f["examples"].map { decodeExamples($0, what) } ?? ValidatorDeclaration.Examples()
        let kind: ValidatorDeclaration.Kind?
        switch (hasKind, hasCommand) {
        case (true, true):
            reader.report(.error(.pluginManifest, "\(what) has both 'kind' and 'command'; it needs exactly one", at: location,
                                 notes: [.init("'kind' names a built-in validator; 'command' runs a program")]))
            kind = nil
        case (false, false):
            reader.report(.error(.missingKey, "\(what) needs 'kind' (a built-in validator) or 'command' (a program to run)", at: location,
                                 notes: [.init("built-in kinds: \(ValidatorRef.builtinKinds.joined(separator: ", "))")]))
            kind = nil
        case (true, false):
            kind = decodeBuiltin(f, what, name: name, at: location)
        case (false, true):
            kind = decodeCommand(f, what)
        }
        return kind.map { ValidatorDeclaration(name: name, description: description, kind: $0, examples: examples, location: location) }
    }

    /// `kind:` and its parameters, checked by building the built-in.
    private func decodeBuiltin(_ f: KeyedNodes, _ what: String, name: String, at location: SourceLocation) -> ValidatorDeclaration.Kind? {
        guard let node = f["kind"], let kind = reader.string(node, "'kind' of \(what)") else { return nil }
        guard let keys = BuiltinParameters.keys[kind] else {
            let guess = EditDistance.suggestion(for: kind, among: ValidatorRef.builtinKinds)
            reader.report(.error(.pluginManifest, "'kind' of \(what) must be a built-in kind (\(ValidatorRef.builtinKinds.joined(separator: ", "))), got '\(kind)'",
                                 at: node.location, notes: [.init(guess.map { "did you mean '\($0)'?" } ?? "to run a program, use 'command' instead")],
                                 fixIt: guess.map { .init(replacement: $0) }))
            return nil
        }
        var params: [String: JSONValue] = [:]
        for key in keys { if let value = f[key] { params[key] = reader.json(value) } }
        if let required = BuiltinParameters.requiredAnyOf[kind], !required.contains(where: { params[$0] != nil }) {
            let needed = required.count == 1 ? "'\(required[0])'" : required.map { "'\($0)'" }.joined(separator: ", ") + " or both"
            reader.report(.error(.missingKey, "\(what) of kind '\(kind)' needs \(needed)", at: location))
            return nil
        }
        do {
            _ = try BuiltinParameters.make(kind: kind, params: .object(params), id: name)
        } catch {
            reader.report(.error(.pluginManifest, "\(what): \(error.message)", at: location))
            return nil
        }
        return .builtin(kind, params: .object(params))
    }

    /// `command:`, `timeout:` and `mode:`; a command given as a relative path must exist in the plugin.
    private func decodeCommand(_ f: KeyedNodes, _ what: String) -> ValidatorDeclaration.Kind? {
        var argv: [String]?
        if let node = f["command"] {
            if let items = node.sequence {
                let strings = items.compactMap { reader.located($0, "each item of 'command' of \(what)") }
                if items.isEmpty {
                    reader.report(.error(.pluginManifest, "'command' of \(what) is empty; it needs at least the program to run", at: node.location))
                } else if strings.count == items.count {
                    argv = strings.map(\.value)
                    if isRelativePath(strings[0].value) {
                        if checkFile(strings[0], "\(what) runs") { warnUnlessExecutable(strings[0], what) } else { argv = nil }
                    }
                }
            } else {
                reader.typeMismatch(node, "'command' of \(what)", expected: "a list of strings (the program and its arguments, run without a shell)")
            }
        }
        var timeout = ValidatorDeclaration.defaultTimeout
        if let node = f["timeout"] {
            if let t = reader.duration(node, "'timeout' of \(what)") {
                if t > .zero { timeout = t } else {
                    reader.report(.error(.outOfRange, "'timeout' of \(what) must be longer than 0", at: node.location))
                }
            }
        }
        var mode = CommandValidatorMode.once
        if let node = f["mode"], let text = reader.choice(node, "'mode' of \(what)", among: CommandValidatorMode.allCases.map(\.rawValue)) {
            mode = CommandValidatorMode(rawValue: text) ?? .once
        }
        return argv.map { .command(argv: $0, timeout: timeout, mode: mode) }
    }

    private func decodeExamples(_ node: YAMLNode, _ what: String) -> ValidatorDeclaration.Examples {
        var examples = ValidatorDeclaration.Examples()
        guard let f = reader.mapping(node, "'examples' of \(what)", allowed: ["pass", "fail"]) else { return examples }
        if let p = f["pass"] { examples.pass = reader.stringList(p, "'examples.pass' of \(what)") ?? [] }
        if let p = f["fail"] { examples.fail = reader.stringList(p, "'examples.fail' of \(what)") ?? [] }
        return examples
    }

    // MARK: - Names and files

    /// Reports a name that is not letters, digits, `_` and `-`; true when it is fine.
    private func checkIdentifier(_ name: String, _ what: String, at location: SourceLocation) -> Bool {
        if PluginManifest.isIdentifier(name) { return true }
        var notes: [Diagnostic.Note] = [.init("names use letters, digits, '_' and '-'")]
        if name.contains(".") { notes.append(.init("a dot separates the plugin from the name, as in 'arith.route'")) }
        reader.report(.error(.pluginManifest, name.isEmpty ? "\(what) is empty" : "\(what) '\(name)' is not a valid name",
                             at: location, notes: notes))
        return false
    }

    /// A program named with a slash but not from the root (`validators/check.sh`, `./run`);
    /// a bare name (`python3`) is looked up on PATH when run.
    private func isRelativePath(_ program: String) -> Bool {
        program.contains("/") && !program.hasPrefix("/")
    }

    /// Reports a referenced file missing from the plugin folder; true when it exists.
    /// `what` introduces the path: "template 'route' names the file".
    private func checkFile(_ file: Located<String>, _ what: String) -> Bool {
        let path = FilePaths.join(folder, file.value)
        switch FilePaths.entry(at: path) {
        case .file:
            return true
        case .directory:
            reader.report(.error(.missingFile, "\(what) '\(file.value)', which is a folder", at: file.location))
        case .missing:
            reader.report(.error(.missingFile, "\(what) '\(file.value)', which does not exist", at: file.location,
                                 notes: [.init("paths are relative to the plugin folder; looked for '\(path)'")]))
        }
        return false
    }

    private func warnUnlessExecutable(_ program: Located<String>, _ what: String) {
        let path = FilePaths.join(folder, program.value)
        guard !FileManager.default.isExecutableFile(atPath: path) else { return }
        reader.report(.warning(.pluginManifest, "\(what) runs '\(program.value)', which is not executable", at: program.location,
                               notes: [.init("run 'chmod +x \(path)', or name its interpreter first: [python3, \(program.value)]")]))
    }
}
