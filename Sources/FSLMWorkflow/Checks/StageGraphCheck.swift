/// `needs` must name existing, other stages, once each, without cycles. Records each
/// stage's valid needs and, when there is no cycle, the dependency index.
struct StageGraphCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        for stage in c.spec.stages {
            var valid: [String] = []
            for need in stage.needs {
                if need.value == stage.id {
                    c.report(.error(.dependencyCycle, "stage '\(stage.id)' needs itself", at: need.location))
                } else if c.stagesByID[need.value] == nil {
                    c.report(.error(.unknownStage, "stage '\(stage.id)' needs unknown stage '\(need.value)'", at: need.location,
                                    notes: c.suggestion(need.value, among: c.stageIDs)))
                } else if valid.contains(need.value) {
                    c.report(.warning(.invalidValue, "stage '\(stage.id)' lists '\(need.value)' twice in 'needs'", at: need.location))
                } else {
                    valid.append(need.value)
                }
            }
            c.needs[stage.id] = valid
        }
        reportCycles(c)
        if !c.hasCycle { c.index = DependencyIndex(ids: c.stageIDs, needs: c.needs) }
    }

    /// Depth-first search; each cycle is reported once, spelled out, at the need that closes it.
    private func reportCycles(_ c: CheckContext) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var reported: Set<Set<String>> = []
        for root in c.stageIDs where marks[root] == nil {
            // Iterative DFS: (stage, index of next need to visit).
            var stack: [(String, Int)] = [(root, 0)]
            marks[root] = .visiting
            while let (id, index) = stack.last {
                let needs = c.needs[id] ?? []
                if index == needs.count {
                    marks[id] = .done
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].1 += 1
                let next = needs[index]
                switch marks[next] {
                case nil:
                    marks[next] = .visiting
                    stack.append((next, 0))
                case .visiting:
                    c.hasCycle = true
                    let path = stack.map(\.0)
                    let cycle = Array(path[path.lastIndex(of: next)!...])
                    guard reported.insert(Set(cycle)).inserted else { continue }
                    // Each stage on the path needs the one after it.
                    let flow = (cycle + [next]).joined(separator: " -> ")
                    let location = c.stagesByID[id]!.needs.first { $0.value == next }?.location ?? c.stagesByID[id]!.location
                    c.report(.error(.dependencyCycle, "dependency cycle: \(flow) (each stage needs the next)", at: location,
                                    notes: [.init("a stage cannot run before the stages it needs; remove one of these 'needs'")]))
                case .done:
                    break
                }
            }
        }
    }
}
