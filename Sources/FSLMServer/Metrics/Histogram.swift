/// A Prometheus histogram's state: counts per upper bound, the sum and the count.
struct Histogram: Sendable {
    /// Upper bounds in seconds, from 5 ms to 2 minutes.
    static let latencyBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    let bounds: [Double]
    /// Observations at or below each bound (not cumulative; summed when rendered).
    private(set) var counts: [Int]
    private(set) var sum: Double = 0
    private(set) var count: Int = 0

    init(bounds: [Double] = Histogram.latencyBounds) {
        self.bounds = bounds
        self.counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
        sum += value
        count += 1
    }

    /// The `_bucket`, `_sum` and `_count` lines of metric `name` with `labels` (already rendered,
    /// without braces; may be empty).
    func lines(_ name: String, labels: String) -> [String] {
        let prefix = labels.isEmpty ? "" : labels + ","
        var cumulative = 0
        var lines: [String] = []
        for (bound, n) in zip(bounds, counts) {
            cumulative += n
            lines.append("\(name)_bucket{\(prefix)le=\"\(Self.format(bound))\"} \(cumulative)")
        }
        lines.append("\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)")
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        lines.append("\(name)_sum\(braces) \(Self.format(sum))")
        lines.append("\(name)_count\(braces) \(count)")
        return lines
    }

    /// A number as Prometheus prints it (no exponent for the bounds used here).
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
