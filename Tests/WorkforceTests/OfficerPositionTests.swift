import Testing
@testable import Workforce

/// `Replication.position(of:in:from:)`, the walk that finds the officer a draw chooses (issue 23):
/// the least cell whose running count from `first` passes `u`, empty cells passed over.
@Suite struct OfficerPositionTests {
    @Test func findsTheCellHoldingEachOfficerInOrder() {
        var cells: [Double] = [0, 2, 0, 3, 1]
        let found = cells.withUnsafeMutableBufferPointer { p in
            (0..<6).map { Replication.position(of: Double($0), in: p.baseAddress!, from: 0) }
        }
        // Officers 0-1 are in cell 1, 2-4 in cell 3, 5 in cell 4; cells 0 and 2 are empty.
        #expect(found == [1, 1, 3, 3, 3, 4])
    }

    @Test func countsFromTheFirstCellAsked() {
        var cells: [Double] = [5, 0, 0, 1, 4]
        let found = cells.withUnsafeMutableBufferPointer { p in
            (0..<5).map { Replication.position(of: Double($0), in: p.baseAddress!, from: 2) }
        }
        // Cells 0-1 are not counted: officer 0 from cell 2 on is the one in cell 3.
        #expect(found == [3, 4, 4, 4, 4])
    }
}
