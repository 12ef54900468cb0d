/// Finds the combinations of several inputs ("levers") at which every target is met together
/// with a given probability: the frontier, and on it the combination of least weighted change.
///
/// **How the search works.** The first K − 1 levers are laid on a grid (`slices` evenly spaced
/// values each, ends included); at every grid point the last lever is solved for by bisection
/// (`Solver.solve`) to `tolerance`. Every evaluation runs the scenario on common random
/// numbers (same seed and replications), so P(every target met) is the same step function of
/// the levers in every evaluation and the bisections are consistent with one another. P is
/// assumed monotone in the last lever within each slice (its direction is found per slice).
///
/// **Precision.** Along the last lever each frontier point is exact on the common random numbers
/// to its bisection bracket (≤ `tolerance`), and its Monte Carlo error is
/// `√(P(1−P)/n) / |slope|` (the slope of P against the last lever near the answer). Across the
/// other levers the frontier is known at the grid points only: between them it is interpolated
/// linearly, and the least-change combination is the best grid point, so it may be off by up to
/// one grid spacing in those levers.
///
/// Cost: `slices^(K−1) × (2 + ⌈log₂(width / tolerance)⌉)` runs at most.
package enum Frontier {
    /// One input moved by the search: a field path (or several set together), its range, its
    /// value in the scenario (changes are measured from it) and its cost per unit of change.
    package struct Lever: Sendable, Hashable {
        package var name: String
        package var range: ClosedRange<Double>
        package var current: Double
        package var cost: Double

        package init(name: String, range: ClosedRange<Double>, current: Double, cost: Double = 1) {
            self.name = name
            self.range = range
            self.current = current
            self.cost = cost
        }
    }

    /// What bisection on the last lever found at one grid point of the others.
    package enum Kind: String, Sendable, Hashable, Codable {
        /// A boundary inside the range: `value` meets the probability, the other end of
        /// `bracket` does not.
        case boundary
        /// Met at both ends of the last lever's range: the whole slice is feasible.
        case metThroughout = "met-throughout"
        /// Met nowhere in the slice.
        case notMet = "not-met"
    }

    package struct Point: Sendable {
        /// The grid values of the first K − 1 levers, then the last lever's boundary value (for
        /// `metThroughout`, the end nearer its current value; for `notMet`, the best end).
        package var levers: [Double]
        package var kind: Kind
        /// The bisection bracket of the last lever (nil unless `boundary`).
        package var bracket: ClosedRange<Double>?
        /// P(every target met) at `levers`.
        package var probability: Double
        /// True when P rises with the last lever in this slice.
        package var increasing: Bool
        /// The Monte Carlo error of the last lever's value, `√(P(1−P)/n) / |slope|` (n the
        /// replications run at the answer); nil when the slope is unknown, 0 in expected-value mode.
        package var monteCarloError: Double?
        /// The assessment at `levers`: the replications it took, its verdict and standard error.
        package var answer: Assessment
        /// Replications run over every evaluation of this grid point's bisection.
        package var replications: Int
        /// The feasible combination of this slice nearest the current values: the last lever at
        /// its current value clamped into the feasible part of its range (nil when `notMet`).
        package var leastChange: [Double]?
        /// Σ cost × |value − current| of `leastChange`.
        package var cost: Double?
    }

    package struct Result: Sendable {
        package var levers: [Lever]
        package var probability: Double
        package var slices: Int
        package var tolerance: Double
        /// One per grid point, in grid order (the first lever slowest).
        package var points: [Point]
        /// The index in `points` of the least-cost feasible combination.
        package var cheapest: Int?
        /// Runs made.
        package var evaluations: Int
        /// Replications run in all, over every evaluation.
        package var replications: Int
    }

    /// The grid values of a lever: `slices` evenly spaced values over its range, ends included.
    package static func grid(_ lever: Lever, slices: Int) -> [Double] {
        guard slices > 1 else { return [(lever.range.lowerBound + lever.range.upperBound) / 2] }
        let a = lever.range.lowerBound, b = lever.range.upperBound
        return (0..<slices).map { a + (b - a) * Double($0) / Double(slices - 1) }
    }

    /// Searches the frontier. `evaluate` returns P(every target met) at the levers' values (one
    /// value per lever, in order); `replications` is its sample size (1 in expected-value mode,
    /// which makes every Monte Carlo error 0).
    package static func search(
        levers: [Lever], probability: Double, slices: Int, tolerance: Double, replications: Int,
        evaluate: ([Double]) throws -> Double
    ) rethrows -> Result {
        try search(levers: levers, probability: probability, slices: slices, tolerance: tolerance) { x in
            Assessment(probability: try evaluate(x), level: probability, replications: replications)
        }
    }

    /// Searches the frontier, taking each evaluation's verdict from `assess` (a sequential
    /// test's settled decision, or the estimate's side of the level: `SequentialRun`).
    package static func search(
        levers: [Lever], probability: Double, slices: Int, tolerance: Double,
        assess: ([Double]) throws -> Assessment
    ) rethrows -> Result {
        precondition(!levers.isEmpty, "a frontier needs at least one lever")
        let last = levers[levers.count - 1]
        let grids = levers.dropLast().map { grid($0, slices: slices) }
        // Every combination of the grids, the first lever slowest.
        var combinations: [[Double]] = [[]]
        for g in grids { combinations = combinations.flatMap { c in g.map { c + [$0] } } }
        var points: [Point] = []
        var evaluations = 0
        for head in combinations {
            let s = try Solver.solve(range: last.range, probability: probability, tolerance: tolerance) { x in
                evaluations += 1
                return try assess(head + [x])
            }
            let p = s.probabilityAtAnswer
            let error: Double? = s.answer.replications <= 1 ? 0 : s.slope.map { s.answer.standardError / abs($0) }
            let used = s.assessments.reduce(0) { $0 + $1.replications }
            let clamp = { (lo: Double, hi: Double) in min(max(last.current, lo), hi) }
            var point: Point
            switch s.verdict {
            case .found(let value, let bracket):
                let x = s.increasing ? clamp(value, last.range.upperBound) : clamp(last.range.lowerBound, value)
                point = Point(
                    levers: head + [value], kind: .boundary, bracket: bracket, probability: p, increasing: s.increasing,
                    monteCarloError: error, answer: s.answer, replications: used, leastChange: head + [x], cost: nil)
            case .metThroughout:
                let x = clamp(last.range.lowerBound, last.range.upperBound)
                point = Point(
                    levers: head + [x], kind: .metThroughout, bracket: nil, probability: p, increasing: s.increasing,
                    monteCarloError: nil, answer: s.answer, replications: used, leastChange: head + [x], cost: nil)
            case .notMet(let bound, let best):
                point = Point(
                    levers: head + [bound], kind: .notMet, bracket: nil, probability: best, increasing: s.increasing,
                    monteCarloError: nil, answer: s.answer, replications: used, leastChange: nil, cost: nil)
            }
            point.cost = point.leastChange.map { cost(levers, $0) }
            points.append(point)
        }
        let cheapest = points.indices.filter { points[$0].cost != nil }.min { points[$0].cost! < points[$1].cost! }
        return Result(
            levers: levers, probability: probability, slices: slices, tolerance: tolerance, points: points, cheapest: cheapest,
            evaluations: evaluations, replications: points.reduce(0) { $0 + $1.replications })
    }

    /// Σ cost × |value − current|.
    package static func cost(_ levers: [Lever], _ values: [Double]) -> Double {
        zip(levers, values).reduce(0) { $0 + $1.0.cost * abs($1.1 - $1.0.current) }
    }

    /// For two levers: the change in the second lever's boundary per unit of the first, between
    /// neighbouring grid points that both have a boundary ("each extra point of the first saves
    /// this much of the second"); one per pair of neighbours, nil where either has none.
    package static func tradeOffs(_ result: Result) -> [Double?] {
        guard result.levers.count == 2, result.points.count > 1 else { return [] }
        return zip(result.points, result.points.dropFirst()).map { a, b in
            guard a.kind == .boundary, b.kind == .boundary, b.levers[0] != a.levers[0] else { return nil }
            return (b.levers[1] - a.levers[1]) / (b.levers[0] - a.levers[0])
        }
    }
}

extension Frontier.Lever {
    /// A lever as written on the command line, `[name=]path[+path...]=a:b[*cost]`: its name
    /// (default: the paths), field paths, range and cost (`current` is left at the range's lower
    /// end, for the caller to set).
    package static func parse(_ text: String) -> (paths: [String], lever: Frontier.Lever)? {
        guard let eq = text.lastIndex(of: "=") else { return nil }
        var head = text[..<eq]
        var name: String?
        if let first = head.firstIndex(of: "=") {
            name = String(head[..<first])
            head = head[head.index(after: first)...]
        }
        let paths = head.split(separator: "+").map(String.init)
        var spec = Substring(text[text.index(after: eq)...])
        var cost = 1.0
        if let star = spec.firstIndex(of: "*") {
            guard let c = Double(spec[spec.index(after: star)...]), c >= 0 else { return nil }
            cost = c
            spec = spec[..<star]
        }
        let ends = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard !paths.isEmpty, ends.count == 2, let a = Double(ends[0]), let b = Double(ends[1]), a < b else { return nil }
        return (paths, Frontier.Lever(name: name ?? paths.joined(separator: "+"), range: a...b, current: a, cost: cost))
    }
}
