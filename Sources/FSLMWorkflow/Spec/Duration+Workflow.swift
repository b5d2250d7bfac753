import Foundation

/// Durations as workflow files write them: `250ms`, `2s`, `1.5s`, `1m`, `1h`.
extension Duration {
    /// Parses a number followed by one unit (`ms`, `s`, `m`, `h`); nil for anything else.
    public static func parseWorkflowDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (unit, seconds) in units where trimmed.hasSuffix(unit) {
            let number = trimmed.dropLast(unit.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite, value * seconds < 1e9
            else { return nil }
            return .milliseconds(Int64((value * seconds * 1000).rounded()))
        }
        return nil
    }

    /// The shortest workflow spelling: `250ms`, `2s`, `1.5s`.
    public var workflowDescription: String {
        let ms = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        if ms < 1000 { return "\(JSONValue.format(ms))ms" }
        return "\(JSONValue.format(ms / 1000))s"
    }
}
