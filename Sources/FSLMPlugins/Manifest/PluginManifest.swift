public import FSLMWorkflow

/// A plugin's `plugin.yaml`, decoded by `ManifestDecoder`.
///
/// ```yaml
/// name: arith
/// version: 1.0.0
/// description: Templates and checks for arithmetic word problems.
/// templates:
///   route: templates/route.mustache
/// validators:
///   equation_holds: { command: [validators/equation_holds.sh], timeout: 2s }
///   short_sentence: { kind: length, max: 120 }
/// ```
///
/// A manifest with errors decodes as far as it can: entries with problems are left out
/// (see `declaredTemplateNames`/`declaredValidatorNames` for every name written).
public struct PluginManifest: Sendable, Hashable {
    /// The plugin's name, as workflows refer to it; the folder's name when the manifest has none.
    public var name: String
    /// Where `name` was written; nil when it fell back to the folder's name.
    public var nameLocation: SourceLocation?
    public var version: String?
    public var description: String?
    /// Template name → path of its file relative to the plugin folder, where the path was written.
    public var templates: [String: Located<String>]
    /// Validator name → its well-formed declaration.
    public var validators: [String: ValidatorDeclaration]
    /// Every template name the manifest declares, including broken entries, in file order.
    public var declaredTemplateNames: [String]
    /// Every validator name the manifest declares, including broken entries, in file order.
    public var declaredValidatorNames: [String]

    public init(name: String, nameLocation: SourceLocation? = nil, version: String? = nil, description: String? = nil,
                templates: [String: Located<String>] = [:], validators: [String: ValidatorDeclaration] = [:],
                declaredTemplateNames: [String]? = nil, declaredValidatorNames: [String]? = nil) {
        self.name = name
        self.nameLocation = nameLocation
        self.version = version
        self.description = description
        self.templates = templates
        self.validators = validators
        self.declaredTemplateNames = declaredTemplateNames ?? templates.keys.sorted()
        self.declaredValidatorNames = declaredValidatorNames ?? validators.keys.sorted()
    }

    /// The top-level keys of `plugin.yaml`.
    public static let keys = ["name", "version", "description", "templates", "validators"]

    /// True for names of plugins, templates and validators: letters, digits, `_` and `-`
    /// (ASCII), at least one; no dots, since `plugin.name` splits at the dot.
    public static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "-"
        }
    }
}
