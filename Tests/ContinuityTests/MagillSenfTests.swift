import Testing
@testable import Continuity

/// One row of Magill & Senf (1987), Table 1.
struct MagillSenfRow: CustomTestStringConvertible, Sendable {
    var distribution: [Int]
    var n: Int, providers: Int
    var coc: Double, mmci: Double
    var testDescription: String { distribution.map(String.init).joined(separator: "+") }
}

func magillSenfRows() -> [MagillSenfRow] {
    guard let bytes = readFile(fixturePath("magill-senf-1987.csv")) else { return [] }
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        .filter { !$0.hasPrefix("#") && !$0.hasPrefix("distribution") && !$0.isEmpty }
    return lines.compactMap { line in
        let f = line.split(separator: ",").map(String.init)
        guard f.count == 6, let n = Int(f[1]), let m = Int(f[2]), let coc = Double(f[3]), let mmci = Double(f[5]) else { return nil }
        return MagillSenfRow(distribution: f[0].split(separator: "+").compactMap { Int($0) },
                             n: n, providers: m, coc: coc, mmci: mmci)
    }
}

/// A client history with, for professional j, `distribution[j]` held contacts in March 2026.
func history(distribution: [Int]) -> ClientHistory {
    var contacts: [Contact] = []
    var k = 0
    for (j, count) in distribution.enumerated() {
        for _ in 0..<count {
            k += 1
            contacts.append(contact("c\(k)", "P\(j)", "2026-03-\(k < 10 ? "0" : "")\(k)"))
        }
    }
    return history(contacts: contacts)
}

@Suite struct MagillSenfTests {
    @Test func theTableHasAllSeventeenRows() {
        #expect(magillSenfRows().count == 17)
    }

    @Test(arguments: magillSenfRows())
    func cocAndMMCIMatchThePublishedTable(row: MagillSenfRow) {
        #expect(row.distribution.reduce(0, +) == row.n && row.distribution.count == row.providers)
        let m = measures(history(distribution: row.distribution), "2026-03-31", window: 31)
        #expect(m.contacts == row.n)
        // COC to 2 decimals (the paper rounds half up; none of its values sits on a half).
        let coc = m.coc ?? -1
        #expect((coc * 100).rounded() / 100 == row.coc, "COC \(coc) vs \(row.coc)")
        #expect(abs(coc - row.coc) <= 0.005 + 1e-12)
        // MMCI within 0.015: the published values deviate by up to 0.014 (rounding in the paper).
        let mmci = m.mmci ?? -1
        #expect(abs(mmci - row.mmci) <= 0.015, "MMCI \(mmci) vs \(row.mmci)")
    }

    @Test func indexFormulasOnPlainCounts() {
        #expect(ContinuityIndex.coc([2, 1]) == 1.0 / 3.0)          // (4+1−3)/(3·2)
        #expect(ContinuityIndex.upc([3, 1, 1]) == 0.6)
        #expect(ContinuityIndex.mmci(contacts: 4, providers: 2) == 21.0 / 31.0)  // (41−20)/(40−9)
        #expect(ContinuityIndex.mmci(contacts: 0, providers: 0) == nil)
        #expect(ContinuityIndex.coc([1]) == nil && ContinuityIndex.upc([]) == nil)
        #expect(ContinuityIndex.secon(["a", "a", "b", "b", "a"]) == 0.5)
    }
}
