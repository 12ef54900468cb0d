extension Model {
    /// An intake named by what it is, for the words of labels and report titles, when its rank
    /// has several intakes: "the planned intake", "the intake filling the establishment", "the
    /// intake of all who pass"; with an ordinal ("the second planned intake") only when two of
    /// one rank are of the same kind. Nil when the intake is its rank's only one (the rank says
    /// which) or `i` is not an intake. Cost: O(intakes).
    public func intakeName(_ i: Int) -> String? {
        guard intakes.indices.contains(i) else { return nil }
        let sameRank = intakes.indices.filter { intakes[$0].rank == intakes[i].rank }
        guard sameRank.count > 1 else { return nil }
        func kind(_ j: Int) -> String {
            switch intakes[j].size {
            case .perYear: "planned intake"
            case .fillToEstablishment: "intake filling the establishment"
            case .allWhoPass: "intake of all who pass"
            }
        }
        let alike = sameRank.filter { kind($0) == kind(i) }
        guard alike.count > 1, let n = alike.firstIndex(of: i) else { return "the " + kind(i) }
        let ordinals = ["first", "second", "third", "fourth", "fifth"]
        return "the " + (n < ordinals.count ? ordinals[n] + " " : "next ") + kind(i)
    }
}
