/// `[##########....................] 12/30` on one terminal line, redrawn as cases finish.
struct ProgressBar: Sendable {
    let total: Int
    /// Written after the count (the workflow, when comparing).
    let label: String
    private let width = 30

    init(total: Int, label: String = "") {
        self.total = total
        self.label = label
    }

    /// Redraws the line for `done` cases finished; the last one ends the line.
    func show(_ done: Int) {
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Terminal.err("\r[\(bar)] \(done)/\(total)\(label.isEmpty ? "" : "  \(label)")" + (done == total ? "\n" : ""))
    }

    /// Ends a line left unfinished (a cancelled evaluation).
    func abandon() { Terminal.err("\n") }
}
