import FSLMWorkflow
import Foundation

/// Reads and compiles a plugin's template files, then binds every template to all of the
/// plugin's templates as partials, so `{{> answer}}` inside `route` includes `answer`.
///
/// A template file's final line break is kept in the template, so a standalone
/// `{{> partial}}` line includes whole lines, and dropped from what it renders as a prompt
/// (editors add one; a prompt rarely wants it), as Jinja does. Reported: unreadable files (at the manifest's path), syntax errors
/// (at the template file's line:col), partials that name no template of the plugin, and
/// templates that include each other in a cycle (rendering would never end).
struct PluginTemplateLibrary {
    /// Compiled and bound templates by name.
    var templates: [String: PromptTemplate] = [:]
    /// The template files read, for quoting.
    var files: [SourceFile] = []
    var diagnostics: [Diagnostic] = []

    init(manifest: PluginManifest, folder: String) {
        var compiled: [String: PromptTemplate] = [:]
        for (name, file) in manifest.templates.sorted(by: { $0.key < $1.key }) {
            let path = FilePaths.join(folder, file.value)
            let text: String
            switch Self.read(path) {
            case .failure(let reason):
                diagnostics.append(.error(.fileUnreadable, "cannot read template '\(name)' from '\(path)': \(reason.message)", at: file.location))
                continue
            case .success(let read):
                text = read
            }
            files.append(SourceFile(path: path, text: text))
            let origin = ScalarOrigin(start: SourceLocation(file: path, line: 1, column: 1))
            switch PromptTemplate.compile(text, origin: origin) {
            case .success(let template): compiled[name] = template.droppingFinalLineBreakWhenRendered()
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        checkPartials(compiled, declared: manifest.declaredTemplateNames, plugin: manifest.name)
        templates = compiled.mapValues { $0.binding(partials: compiled) }
    }

    /// Partials must name one of the plugin's templates (a declared but broken one is already
    /// reported), and must not lead back to the template including them.
    private mutating func checkPartials(_ compiled: [String: PromptTemplate], declared: [String], plugin: String) {
        for (name, template) in compiled.sorted(by: { $0.key < $1.key }) {
            for partial in template.partials where !declared.contains(partial.name) {
                let guess = EditDistance.suggestion(for: partial.name, among: declared)
                let known = declared.isEmpty ? "the plugin declares no templates" : "templates of '\(plugin)': \(declared.joined(separator: ", "))"
                diagnostics.append(.error(.unknownTemplate, "template '\(name)' includes '\(partial.name)', which is not a template of plugin '\(plugin)'",
                                          at: partial.location, notes: [.init(guess.map { "did you mean '\($0)'?" } ?? known)],
                                          fixIt: guess.map { .init(replacement: $0) }))
            }
        }
        // Depth-first search; an edge back to a template on the stack closes a cycle.
        var state: [String: Bool] = [:]  // false: on the stack; true: done
        var stack: [String] = []
        func visit(_ name: String) {
            state[name] = false
            stack.append(name)
            for partial in compiled[name]?.partials ?? [] where compiled[partial.name] != nil {
                switch state[partial.name] {
                case nil:
                    visit(partial.name)
                case false?:
                    let cycle = stack[stack.lastIndex(of: partial.name)!...] + [partial.name]
                    diagnostics.append(.error(.pluginManifest, "templates of plugin '\(plugin)' include each other in a cycle: \(cycle.joined(separator: " → "))",
                                              at: partial.location, notes: [.init("rendering would never end; break the cycle")]))
                case true?:
                    break
                }
            }
            stack.removeLast()
            state[name] = true
        }
        for name in compiled.keys.sorted() where state[name] == nil { visit(name) }
    }

    private struct Unreadable: Error { var message: String }

    /// The file's text as UTF-8, without a byte order mark.
    private static func read(_ path: String) -> Result<String, Unreadable> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Unreadable(message: FilePaths.entry(at: path) == .missing ? "no such file" : "it cannot be read"))
        }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Unreadable(message: "it is not valid UTF-8 text")) }
        return .success(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    }

}
