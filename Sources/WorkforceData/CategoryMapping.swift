import WorkforceFormats

/// How the labels of a Home Office table become a scenario's categories: for each dimension, a
/// table from label (compared without case and spacing) to category name, or to nothing (the
/// rows are dropped and reported). Labels the mapping does not know are dropped and reported too.
///
/// The defaults (`homeOffice`) map the HO labels of 2003 to today onto the HO categories,
/// keeping "Not stated" as a category of its own; overrides (`dimension:label=category`, or
/// `=-` to drop) are applied in order, later ones winning.
package struct CategoryMapping: Sendable {
    package enum Dimension: String, Sendable, CaseIterable {
        case rank, ethnicity, gender
    }

    /// One rule: rows with this label become this category (nil: dropped).
    package struct Rule: Sendable {
        package var label: String
        package var category: String?
    }

    /// The rules of each dimension, in order; a later rule for the same label wins.
    package private(set) var rules: [Dimension: [Rule]]

    /// The Home Office ranks, lowest first.
    package static let homeOfficeRanks = [
        "Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent", "Chief Superintendent", "Chief Officer",
    ]

    /// The defaults: ranks as the HO names them; ethnicities by the five HO groups and "Not
    /// stated", with the pre-2021 and 2021-on labels of each (e.g. "Chinese or Other Ethnic Group
    /// (pre 2021 category)" and "Other" both to Other); genders Female and Male.
    package static let homeOffice = CategoryMapping(rules: [
        .rank: homeOfficeRanks.map { Rule(label: $0, category: $0) },
        .ethnicity: [
            ("White", "White"),
            ("Black or Black British", "Black"), ("Black", "Black"),
            ("Asian or Asian British", "Asian"), ("Asian", "Asian"),
            ("Mixed", "Mixed"), ("Mixed ethnic groups", "Mixed"),
            ("Chinese or Other Ethnic Group (pre 2021 category)", "Other"), ("Chinese or Other Ethnic Group", "Other"),
            ("Other", "Other"), ("Other ethnic group", "Other"), ("Other ethnic groups", "Other"),
            ("Not stated", "Not stated"),
        ].map { Rule(label: $0.0, category: $0.1) },
        .gender: [Rule(label: "Female", category: "Female"), Rule(label: "Male", category: "Male")],
    ])

    package init(rules: [Dimension: [Rule]]) { self.rules = rules }

    /// What a label becomes.
    package enum Outcome: Equatable, Sendable {
        case category(String)
        /// A rule drops it.
        case dropped
        /// No rule names it.
        case unknown
    }

    package func map(_ label: String, _ dimension: Dimension) -> Outcome {
        let wanted = CSVTable.normalized(label)
        guard let rule = rules[dimension, default: []].last(where: { CSVTable.normalized($0.label) == wanted }) else {
            return .unknown
        }
        return rule.category.map(Outcome.category) ?? .dropped
    }

    /// The categories labels map to, in the order of the labels' rules (defaults first, then
    /// labels overrides add): the order used when no scenario gives one.
    package func categories(_ dimension: Dimension) -> [String] {
        var seen = Set<String>()
        return rules[dimension, default: []].compactMap { rule -> String? in
            guard case .category(let category) = map(rule.label, dimension), seen.insert(category).inserted else { return nil }
            return category
        }
    }

    /// Applies an override written `dimension:label=category` (`rank:Chief Officer=Senior`,
    /// `ethnicity:Not stated=-` to drop).
    package mutating func apply(_ override: String) throws(MappingError) {
        guard let colon = override.firstIndex(of: ":"),
              let dimension = Dimension(rawValue: override[..<colon].trimmingCharacters(in: .whitespaces).lowercased())
        else {
            throw MappingError(override, "it does not start with rank:, ethnicity: or gender:")
        }
        let rest = override[override.index(after: colon)...]
        guard let equals = rest.lastIndex(of: "=") else { throw MappingError(override, "it has no '='") }
        let label = rest[..<equals].trimmingCharacters(in: .whitespaces)
        let category = rest[rest.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty, !category.isEmpty else { throw MappingError(override, "the label or the category is empty") }
        rules[dimension, default: []].append(Rule(label: label, category: category == "-" ? nil : category))
    }
}

/// An override that could not be read.
package struct MappingError: Error, Sendable, CustomStringConvertible {
    package var override: String
    package var problem: String

    init(_ override: String, _ problem: String) {
        self.override = override
        self.problem = problem
    }

    package var description: String {
        "--map '\(override)': \(problem); expected dimension:label=category (dimension rank, ethnicity or gender; category - to drop)"
    }
}
