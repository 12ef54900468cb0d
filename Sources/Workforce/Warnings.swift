/// Things in a valid model that are probably not what its author meant, in words.
///
/// A warning never stops a run: the model is valid, and it may be exactly what was meant (a rank
/// being phased out). `workforce run` and `validate` print them, and the report lists them under
/// its key assumptions so that a board reading the results sees them too.
extension Model {
    /// One sentence per rank that has an establishment but nothing that can fill it: no intake
    /// recruits into it and no promotion rule promotes into it, so its headcount can only fall
    /// as officers leave or are promoted out. Cost: O(ranks + intakes).
    public var warnings: [String] {
        var found: [String] = []
        for (r, name) in dimensions.ranks.enumerated() where establishment[r] != nil {
            let recruited = intakes.contains { $0.rank == r }
            let promotedInto = r > 0 && promotion[r] != nil
            guard !recruited && !promotedInto else { continue }
            var headcount = 0
            for q in 0..<dimensions.groupCount {
                for s in 0..<dimensions.maxService { headcount += initial[dimensions.cell(r, q, s)] }
            }
            found.append(
                "\(name) has an establishment but nothing fills it: no intake recruits into it"
                    + (r > 0 ? " and there is no promotion rule into it" : "")
                    + ", so it can only shrink from its \(headcount) officers at the start"
                    + (r > 0 ? "; add `promotion: {\(name): ...}` to fill it by vacancy." : "; add an intake for it."))
        }
        return found
    }
}
