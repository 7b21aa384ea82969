"""Class E: English sources about Thai agencies' ITA results (C.E. years)."""
from t import A, M, write

# ---------------------------------------------------------------- E_01
write("E_01_korat-city-news", """
KORAT DAILY NEWS | Local Government
Published 22 August 2024, 10:45

Nakhon Ratchasima City Municipality earns "Excellent Pass" in 2024 integrity assessment

NAKHON RATCHASIMA – The Nakhon Ratchasima City Municipality scored 95.12 points in the National Anti-Corruption Commission's Integrity and Transparency Assessment (ITA) for fiscal year 2024, earning the "Excellent Pass" level, the mayor's office announced on Wednesday.

The result is up 2.31 points from the 92.81 points the municipality received in 2023. Nationwide, 8,325 state agencies took part in this year's assessment, which ran from January to June and collected more than 1.3 million responses.

The municipality's open-data score was its strongest component, the deputy mayor said, crediting a 2.4-million-baht upgrade of its e-Service portal. About 260 officials and 700 residents answered the perception surveys.

Residents with complaints about municipal services can call the hotline 1132 or 044-234-500.
""", kinds=[], agency=("Nakhon Ratchasima City Municipality", "เทศบาลนคร", None, "Nakhon Ratchasima"),
    assessments=[A(2566, 92.81), A(2567, 95.12, "Excellent Pass")],
    inconsistencies=["Years are C.E. fiscal years: 2024 → 2567, 2023 → 2566.",
                     "Province read from the dateline 'NAKHON RATCHASIMA' and the agency name."])

# ---------------------------------------------------------------- E_02
write("E_02_thaksin-univ-annual-report", """
Thaksin University Annual Report 2025
Section 4: Good Governance

4.3 Integrity and Transparency Assessment (ITA)

Each year the University takes part in the Integrity and Transparency Assessment of Thai public agencies conducted by the Office of the National Anti-Corruption Commission (NACC). For fiscal year 2025, Thaksin University received an overall score of 94.52 and was rated "Good Pass". The component scores were: Internal Integrity and Transparency Assessment (IIT) 96.20; External Integrity and Transparency Assessment (EIT) 93.85; Open Data Integrity and Transparency Assessment (OIT) 93.75.

This compares with 92.07 ("Good Pass") in fiscal year 2024. The University ranked 9th of 83 public higher-education institutions; the national average across all agencies was 93.82.

The University serves about 14,000 students on its Songkhla and Phatthalung campuses, with an operating budget of 2,150 million baht in fiscal year 2025.

Thaksin University, 140 Moo 4, Khao Rup Chang, Mueang Songkhla, Songkhla 90000 | Tel. +66 74 317 600
""", kinds=[], agency=("Thaksin University", None, None, None),
    assessments=[A(2567, 92.07, "Good Pass"),
                 A(2568, 94.52, "Good Pass", {"IIT": 96.20, "EIT": 93.85, "OIT": 93.75})],
    inconsistencies=["Years are C.E. fiscal years: 2025 → 2568, 2024 → 2567.",
                     "A university, not a local government: type null. The address (Mueang Songkhla, Songkhla) is the university's but campuses are in two provinces; district/province left null."])

# ---------------------------------------------------------------- E_03
write("E_03_khaomaikaew-sao-webpage", """
Home | About Us | Executives | News | Procurement | ITA | Contact
Khao Mai Kaew SAO - Bang Lamung District, Chon Buri Province
Population 12,480 | Area 62.5 sq km | 9 villages

ITA RESULTS HISTORY
ITA 2020 ......... 72.45  (Level C)
ITA 2021 ......... 86.10  (Level A)
ITA 2022 ......... 91.36  (Level A)

Our target for ITA 2023 is 95 points or higher.

Khao Mai Kaew Subdistrict Administrative Organization
Tel. +66 38 190 442  |  Fax +66 38 190 443  |  saraban@khaomaikaew.go.th
Visitors today: 84  Total: 98,221
""", kinds=[], agency=("Khao Mai Kaew Subdistrict Administrative Organization", "องค์การบริหารส่วนตำบล", "Bang Lamung", "Chon Buri"),
    assessments=[A(2563, 72.45, "C"), A(2564, 86.10, "A"), A(2565, 91.36, "A")],
    inconsistencies=["Years are C.E.: ITA 2020 → 2563, 2021 → 2564, 2022 → 2565. 'ITA 2023' is only a target, not a result.",
                     "Levels are printed 'Level C' / 'Level A' in parentheses; recorded as the letter only, without the parentheses and the label 'Level' (as 'ระดับ' is dropped in Thai sources)."])

# ---------------------------------------------------------------- E_04
write("E_04_phitsanulok-city-measures-en", """
Phitsanulok City Municipality
Measures to Promote Integrity and Transparency within the Agency
Fiscal Year 2026 (October 2025 – September 2026)
(English translation for information; the Thai version prevails)

Background. In the ITA for fiscal year 2025 the municipality scored 93.40 and was rated "Good Pass". The weakest indicators were Anti-Corruption Practices (indicator 10) and Communication Efficiency (indicator 7). The municipality therefore adopts the following measures.

Measure 1. Annual corruption-risk assessment
   Method: Appoint a working group, assess risks in permit and procurement processes, and publish the risk-management plan and a six-month report.
   Responsible: Strategy and Budget Division
   Period: November 2025 – March 2026

Measure 2. Gift and benefit reporting under the No Gift Policy
   Method: The mayor re-announces the No Gift Policy; all divisions report gifts received twice a year.
   Responsible: Office of the Municipal Clerk
   Period: October 2025 – September 2026

Measure 3. Plain-language service information
   Method: Rewrite service manuals in plain language and post waiting times at every service counter and on the website.
   Responsible: All divisions
   Period: January – June 2026

Announced on 20 October 2025.
Mayor of Phitsanulok City Municipality
""", kinds=["measures_plan"], agency=("Phitsanulok City Municipality", "เทศบาลนคร", None, None), fy=2569,
    assessments=[A(2568, 93.40, "Good Pass")],
    measures=[
        M(1, "Annual corruption-risk assessment",
          "Appoint a working group, assess risks in permit and procurement processes, and publish the risk-management plan and a six-month report.",
          "Strategy and Budget Division", "November 2025 – March 2026"),
        M(2, "Gift and benefit reporting under the No Gift Policy",
          "The mayor re-announces the No Gift Policy; all divisions report gifts received twice a year.",
          "Office of the Municipal Clerk", "October 2025 – September 2026"),
        M(3, "Plain-language service information",
          "Rewrite service manuals in plain language and post waiting times at every service counter and on the website.",
          "All divisions", "January – June 2026"),
    ],
    inconsistencies=["Fiscal year 2026 (October 2025 – September 2026) → 2569; the assessed fiscal year 2025 → 2568.",
                     "The background names indicators 10 and 7 as weak but no measure is explicitly tied to an indicator; 'indicator' is null."])

# ---------------------------------------------------------------- E_05
write("E_05_krabi-pao-progress-en", """
KRABI PAO
Progress Report on Integrity and Transparency Measures, Fiscal Year 2025
Status as of 31 March 2025

1. Publish monthly procurement summaries
   Status: Completed
   Result: Summaries for October 2024 to February 2025 published on the PAO website.
   Evidence: https://www.krabipao.go.th/procurement-2025

2. Train staff on conflicts of interest
   Status: In progress
   Result: One of two training rounds held on 18 February 2025 (63 participants).
   Suggestion: Include staff of PAO-run schools in the second round.
   Evidence: https://www.krabipao.go.th/news/2025-02-18-training
             training_photo_01.jpg

3. Set up an online complaint tracking system
   Status: Not started
   Result: Budget request of 180,000 baht pending council approval.

Prepared by the Policy and Planning Section, Office of the PAO Clerk. Tel. +66 75 611 093
Approved: Chief Executive of Krabi Provincial Administrative Organization
""", kinds=["progress_report"], agency=("Krabi Provincial Administrative Organization", "องค์การบริหารส่วนจังหวัด", None, "Krabi"), fy=2568,
    measures=[
        M(1, "Publish monthly procurement summaries", status="done",
          result="Summaries for October 2024 to February 2025 published on the PAO website.",
          evidence=["https://www.krabipao.go.th/procurement-2025"]),
        M(2, "Train staff on conflicts of interest", status="in_progress",
          result="One of two training rounds held on 18 February 2025 (63 participants).",
          suggestion="Include staff of PAO-run schools in the second round.",
          evidence=["https://www.krabipao.go.th/news/2025-02-18-training", "training_photo_01.jpg"]),
        M(3, "Set up an online complaint tracking system", status="not_started",
          result="Budget request of 180,000 baht pending council approval."),
    ],
    inconsistencies=["The heading abbreviates 'KRABI PAO'; the full name appears only in the approval line.",
                     "Fiscal year 2025 → 2568. Status words Completed / In progress / Not started → done / in_progress / not_started."])

# ---------------------------------------------------------------- E_06
write("E_06_patong-press-release", """
PRESS RELEASE
Patong Town Municipality, Kathu District, Phuket
For immediate release – 14 August 2023

PATONG RATED "EXCELLENT" IN 2023 INTEGRITY AND TRANSPARENCY ASSESSMENT

Patong Town Municipality has received a score of 96.55 in the 2023 Integrity and Transparency Assessment (ITA) of the National Anti-Corruption Commission, the "Excellent" level.

Among local governments in Phuket, the Phuket Provincial Administrative Organization scored 98.04, Phuket City Municipality 94.10 and Kathu Town Municipality 91.77. Patong's result places it second of the 19 local government organisations in the province, where the average was 90.66.

Patong improved on its 2022 result of 89.73 (level A), mainly through its open-data score (OIT), which rose to 97.50.

Media contact: Public Relations Section, tel. 076-342-033, pr@patongcity.go.th
""", kinds=[], agency=("Patong Town Municipality", "เทศบาลเมือง", "Kathu", "Phuket"),
    assessments=[A(2565, 89.73, "A"), A(2566, 96.55, "Excellent", {"OIT": 97.50})],
    inconsistencies=["Years are C.E.: 2023 → 2566, 2022 → 2565.",
                     "Scores of the Phuket PAO (98.04), Phuket City Municipality (94.10), Kathu Town Municipality (91.77) and the provincial average (90.66) belong to other agencies and are not recorded."])
