import Mustache

/// A Mustache prompt template compiled once, rendering plain text (never HTML-escaped).
///
/// Rendering follows Mustache semantics: a missing variable or partial renders as nothing,
/// sections repeat over lists and show or hide on booleans. Values should be strings, numbers,
/// booleans, `[String: Any]` dictionaries and arrays; a `Double` or `Float` that is integral
/// renders without a fraction (`3.0` as `3`, `2.5` as `2.5`). Safe to render concurrently.
public struct PromptTemplate: Sendable {
    /// The template text as written in the workflow.
    public let source: String
    /// Where `source` starts in its file.
    public let origin: ScalarOrigin
    /// Every variable the template looks up, in source order.
    public let variables: [TemplateVariable]
    /// Every partial the template includes, in source order.
    public let partials: [TemplatePartial]
    private let compiled: MustacheTemplate
    /// Partials rendered by name when `render` is given none (a plugin's other templates).
    public private(set) var boundPartials: [String: PromptTemplate] = [:]
    /// Whether `render` drops one final line break of its result (set for template files).
    public private(set) var dropsFinalLineBreak = false

    /// swift-mustache escapes HTML unless a template starts with this pragma, and partials do
    /// not inherit it, so every template gets it. As a line of its own it is a standalone tag:
    /// it leaves no text behind and keeps the source's first line a line start.
    private static let plainTextPragma = "{{% CONTENT_TYPE: TEXT }}\n"

    private init(source: String, origin: ScalarOrigin, scan: TemplateScan, compiled: MustacheTemplate) {
        self.source = source
        self.origin = origin
        self.variables = scan.variables
        self.partials = scan.partials
        self.compiled = compiled
    }

    /// Compiles `source`; on a syntax error returns the diagnostic at the file line:col of the problem.
    public static func compile(_ source: String, origin: ScalarOrigin) -> Result<PromptTemplate, Diagnostic> {
        let scan: TemplateScan
        let compiled: MustacheTemplate
        do {
            scan = try TemplateScanner.scan(source, origin: origin)
        } catch {
            return .failure(error.diagnostic)
        }
        do {
            compiled = try MustacheTemplate(string: mustacheText(source, scan: scan))
        } catch {
            let problem = TemplateSyntaxError(parserError: error, source: source, prefixLines: 1, origin: origin)
            return .failure(problem.diagnostic)
        }
        return .success(PromptTemplate(source: source, origin: origin, scan: scan, compiled: compiled))
    }

    /// `source` as handed to swift-mustache: behind the pragma, and with the delimiters
    /// switched just before a character that starts the opening delimiter among the last few
    /// (swift-mustache fails on `Reply in JSON: {`). The switch leaves the rendered text alone.
    private static func mustacheText(_ source: String, scan: TemplateScan) -> String {
        let text = Array(source.unicodeScalars)
        let open = Array(scan.openDelimiter.unicodeScalars)
        let tailStart = max(scan.trailingTextOffset, text.count - open.count + 1)
        guard open.count > 1, tailStart < text.count, let cut = text[tailStart...].firstIndex(of: open[0]),
            let marker = ["|", "~", "\u{1}"].first(where: { !text[cut...].contains($0) })
        else { return plainTextPragma + source }
        let switchTag = scan.openDelimiter + "=\(marker) \(marker)=" + scan.closeDelimiter
        return plainTextPragma + String(scalars: text[..<cut]) + switchTag + String(scalars: text[cut...])
    }

    /// Renders with a context of nested `[String: Any]` dictionaries, arrays, strings, numbers
    /// and bools; `partials` supplies named partial templates (default: the bound ones).
    public func render(_ context: [String: Any], partials: [String: PromptTemplate] = [:]) -> String {
        let chosen = partials.isEmpty ? boundPartials : partials
        let library = chosen.isEmpty ? nil : MustacheLibrary(templates: chosen.mapValues(\.compiled))
        let text = compiled.render(TemplateContext.prepare(context), library: library)
        if dropsFinalLineBreak, let last = text.last, last == "\n" || last == "\r\n" { return String(text.dropLast()) }
        return text
    }

    /// This template, rendering without the final line break a file's last line carries.
    /// Included as a partial it keeps that line break, so partial lines stay whole.
    public func droppingFinalLineBreakWhenRendered() -> PromptTemplate {
        var copy = self
        copy.dropsFinalLineBreak = true
        return copy
    }

    /// This template with `partials` bound, so `{{> name}}` renders them without being passed.
    public func binding(partials: [String: PromptTemplate]) -> PromptTemplate {
        var copy = self
        copy.boundPartials = partials
        return copy
    }

    /// Its variables and those of the bound partials it includes, transitively (each partial once).
    public var variablesIncludingPartials: [TemplateVariable] {
        var seen: Set<String> = []
        var result = variables
        var pending = partials.map(\.name)
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let partial = boundPartials[name] else { continue }
            result += partial.variables
            pending += partial.partials.map(\.name)
        }
        return result
    }
}
