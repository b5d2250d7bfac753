/// The stable identifier of a kind of diagnostic, printed as `[id]` after the message.
public struct DiagnosticID: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue }
}

extension DiagnosticID {
    // Files and YAML
    public static let fileUnreadable: DiagnosticID = "file-unreadable"
    public static let yamlSyntax: DiagnosticID = "yaml-syntax"
    public static let duplicateKey: DiagnosticID = "duplicate-key"
    public static let tabIndentation: DiagnosticID = "tab-indentation"
    public static let multipleDocuments: DiagnosticID = "multiple-documents"
    public static let aliasLimit: DiagnosticID = "alias-limit"
    public static let unknownAlias: DiagnosticID = "unknown-alias"
    // Shape of the workflow
    public static let unknownKey: DiagnosticID = "unknown-key"
    public static let typeMismatch: DiagnosticID = "type-mismatch"
    public static let missingKey: DiagnosticID = "missing-key"
    public static let invalidValue: DiagnosticID = "invalid-value"
    public static let outOfRange: DiagnosticID = "out-of-range"
    public static let unsupportedVersion: DiagnosticID = "unsupported-version"
    // Graph
    public static let duplicateStage: DiagnosticID = "duplicate-stage"
    public static let unknownStage: DiagnosticID = "unknown-stage"
    public static let dependencyCycle: DiagnosticID = "dependency-cycle"
    public static let unreachableStage: DiagnosticID = "unreachable-stage"
    public static let unknownModel: DiagnosticID = "unknown-model"
    public static let unknownAdapter: DiagnosticID = "unknown-adapter"
    public static let unsetEnvironment: DiagnosticID = "unset-environment"
    // Templates and expressions
    public static let templateSyntax: DiagnosticID = "template-syntax"
    public static let unknownVariable: DiagnosticID = "unknown-variable"
    public static let notUpstream: DiagnosticID = "not-upstream"
    public static let expressionSyntax: DiagnosticID = "expression-syntax"
    public static let invalidRegex: DiagnosticID = "invalid-regex"
    public static let unknownTemplate: DiagnosticID = "unknown-template"
    public static let unknownValidator: DiagnosticID = "unknown-validator"
    public static let unknownPlugin: DiagnosticID = "unknown-plugin"
    // Plugins
    public static let pluginManifest: DiagnosticID = "plugin-manifest"
    public static let duplicatePlugin: DiagnosticID = "duplicate-plugin"
    public static let missingFile: DiagnosticID = "missing-file"
    // Inputs
    public static let unusedInput: DiagnosticID = "unused-input"
    public static let missingInput: DiagnosticID = "missing-input"
    public static let inputType: DiagnosticID = "input-type"
}
