//! libphonenumber's calling codes and the patterns that tell apart the regions sharing one, as
//! smslens needs them. GENERATED from the `phonenumber` crate (0.3.10, metadata 9.0.33): do not
//! edit. The test `domain::country::tests::metadata_is_generated_from_phonenumber` fails when this file and
//! the crate disagree; `SMSLENS_REGENERATE=1 cargo test metadata_is_generated` rewrites it.
//!
//! Why not use the crate at run time: loading its database compiles the patterns of every region
//! of the world (about 90 ms, while every worker waits for it), and smslens needs only those of the
//! shared calling codes a run meets. Regions with a leading-digits pattern need nothing else.

use super::{Pattern, Region};

/// Calling codes of one region.
pub(super) static SINGLE: &[(u16, &str)] = &[
    (20, "EG"),
    (27, "ZA"),
    (30, "GR"),
    (31, "NL"),
    (32, "BE"),
    (33, "FR"),
    (34, "ES"),
    (36, "HU"),
    (40, "RO"),
    (41, "CH"),
    (43, "AT"),
    (45, "DK"),
    (46, "SE"),
    (48, "PL"),
    (49, "DE"),
    (51, "PE"),
    (52, "MX"),
    (53, "CU"),
    (54, "AR"),
    (55, "BR"),
    (56, "CL"),
    (57, "CO"),
    (58, "VE"),
    (60, "MY"),
    (62, "ID"),
    (63, "PH"),
    (64, "NZ"),
    (65, "SG"),
    (66, "TH"),
    (81, "JP"),
    (82, "KR"),
    (84, "VN"),
    (86, "CN"),
    (90, "TR"),
    (91, "IN"),
    (92, "PK"),
    (93, "AF"),
    (94, "LK"),
    (95, "MM"),
    (98, "IR"),
    (211, "SS"),
    (213, "DZ"),
    (216, "TN"),
    (218, "LY"),
    (220, "GM"),
    (221, "SN"),
    (222, "MR"),
    (223, "ML"),
    (224, "GN"),
    (225, "CI"),
    (226, "BF"),
    (227, "NE"),
    (228, "TG"),
    (229, "BJ"),
    (230, "MU"),
    (231, "LR"),
    (232, "SL"),
    (233, "GH"),
    (234, "NG"),
    (235, "TD"),
    (236, "CF"),
    (237, "CM"),
    (238, "CV"),
    (239, "ST"),
    (240, "GQ"),
    (241, "GA"),
    (242, "CG"),
    (243, "CD"),
    (244, "AO"),
    (245, "GW"),
    (246, "IO"),
    (247, "AC"),
    (248, "SC"),
    (249, "SD"),
    (250, "RW"),
    (251, "ET"),
    (252, "SO"),
    (253, "DJ"),
    (254, "KE"),
    (255, "TZ"),
    (256, "UG"),
    (257, "BI"),
    (258, "MZ"),
    (260, "ZM"),
    (261, "MG"),
    (263, "ZW"),
    (264, "NA"),
    (265, "MW"),
    (266, "LS"),
    (267, "BW"),
    (268, "SZ"),
    (269, "KM"),
    (291, "ER"),
    (297, "AW"),
    (298, "FO"),
    (299, "GL"),
    (350, "GI"),
    (351, "PT"),
    (352, "LU"),
    (353, "IE"),
    (354, "IS"),
    (355, "AL"),
    (356, "MT"),
    (357, "CY"),
    (359, "BG"),
    (370, "LT"),
    (371, "LV"),
    (372, "EE"),
    (373, "MD"),
    (374, "AM"),
    (375, "BY"),
    (376, "AD"),
    (377, "MC"),
    (378, "SM"),
    (380, "UA"),
    (381, "RS"),
    (382, "ME"),
    (383, "XK"),
    (385, "HR"),
    (386, "SI"),
    (387, "BA"),
    (389, "MK"),
    (420, "CZ"),
    (421, "SK"),
    (423, "LI"),
    (500, "FK"),
    (501, "BZ"),
    (502, "GT"),
    (503, "SV"),
    (504, "HN"),
    (505, "NI"),
    (506, "CR"),
    (507, "PA"),
    (508, "PM"),
    (509, "HT"),
    (591, "BO"),
    (592, "GY"),
    (593, "EC"),
    (594, "GF"),
    (595, "PY"),
    (596, "MQ"),
    (597, "SR"),
    (598, "UY"),
    (670, "TL"),
    (672, "NF"),
    (673, "BN"),
    (674, "NR"),
    (675, "PG"),
    (676, "TO"),
    (677, "SB"),
    (678, "VU"),
    (679, "FJ"),
    (680, "PW"),
    (681, "WF"),
    (682, "CK"),
    (683, "NU"),
    (685, "WS"),
    (686, "KI"),
    (687, "NC"),
    (688, "TV"),
    (689, "PF"),
    (690, "TK"),
    (691, "FM"),
    (692, "MH"),
    (850, "KP"),
    (852, "HK"),
    (853, "MO"),
    (855, "KH"),
    (856, "LA"),
    (880, "BD"),
    (886, "TW"),
    (960, "MV"),
    (961, "LB"),
    (962, "JO"),
    (963, "SY"),
    (964, "IQ"),
    (965, "KW"),
    (966, "SA"),
    (967, "YE"),
    (968, "OM"),
    (970, "PS"),
    (971, "AE"),
    (972, "IL"),
    (973, "BH"),
    (974, "QA"),
    (975, "BT"),
    (976, "MN"),
    (977, "NP"),
    (992, "TJ"),
    (993, "TM"),
    (994, "AZ"),
    (995, "GE"),
    (996, "KG"),
    (998, "UZ"),
];

/// Calling codes of no region (+800 freephone, +881 satellite, ...).
pub(super) static NON_GEOGRAPHIC: &[u16] = &[
    979,
];

/// Calling codes shared by several regions: libphonenumber's main region first, then by id.
pub(super) static SHARED: &[(u16, &[Region])] = &[
    (
        1,
        &[
            Region {
                id: "US",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          [2-9]\\d{9}|\n          3\\d{6}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            274[27]|\n            (?:\n              472|\n              983\n            )[2-47-9]\n          )\\d{6}|\n          (?:\n            2(?:\n              0[1-35-9]|\n              1[02-9]|\n              2[03-57-9]|\n              3[1459]|\n              4[08]|\n              5[1-46]|\n              6[0279]|\n              7[0269]|\n              8[13]\n            )|\n            3(?:\n              0[1-57-9]|\n              1[02-9]|\n              2[013-79]|\n              3[0-24679]|\n              4[167]|\n              5[0-3]|\n              6[01349]|\n              8[056]\n            )|\n            4(?:\n              0[124-9]|\n              1[02-579]|\n              2[3-5]|\n              3[0245]|\n              4[023578]|\n              58|\n              6[349]|\n              7[0589]|\n              8[04]\n            )|\n            5(?:\n              0[1-57-9]|\n              1[0235-8]|\n              20|\n              3[0149]|\n              4[01]|\n              5[179]|\n              6[1-47]|\n              7[0-5]|\n              8[0256]\n            )|\n            6(?:\n              0[1-35-9]|\n              1[024-9]|\n              2[03689]|\n              3[016]|\n              4[0156]|\n              5[01679]|\n              6[0-279]|\n              78|\n              8[0-269]\n            )|\n            7(?:\n              0[1-46-8]|\n              1[2-9]|\n              2[04-8]|\n              3[0-2478]|\n              4[0378]|\n              5[47]|\n              6[02359]|\n              7[0-59]|\n              8[156]\n            )|\n            8(?:\n              0[1-68]|\n              1[02-8]|\n              2[0168]|\n              3[0-2589]|\n              4[03578]|\n              5[046-9]|\n              6[02-5]|\n              7[028]\n            )|\n            9(?:\n              0[1346-9]|\n              1[02-9]|\n              2[0589]|\n              3[0146-8]|\n              4[01357-9]|\n              5[12469]|\n              7[0-3589]|\n              8[04-69]\n            )\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            274[27]|\n            (?:\n              472|\n              983\n            )[2-47-9]\n          )\\d{6}|\n          (?:\n            2(?:\n              0[1-35-9]|\n              1[02-9]|\n              2[03-57-9]|\n              3[1459]|\n              4[08]|\n              5[1-46]|\n              6[0279]|\n              7[0269]|\n              8[13]\n            )|\n            3(?:\n              0[1-57-9]|\n              1[02-9]|\n              2[013-79]|\n              3[0-24679]|\n              4[167]|\n              5[0-3]|\n              6[01349]|\n              8[056]\n            )|\n            4(?:\n              0[124-9]|\n              1[02-579]|\n              2[3-5]|\n              3[0245]|\n              4[023578]|\n              58|\n              6[349]|\n              7[0589]|\n              8[04]\n            )|\n            5(?:\n              0[1-57-9]|\n              1[0235-8]|\n              20|\n              3[0149]|\n              4[01]|\n              5[179]|\n              6[1-47]|\n              7[0-5]|\n              8[0256]\n            )|\n            6(?:\n              0[1-35-9]|\n              1[024-9]|\n              2[03689]|\n              3[016]|\n              4[0156]|\n              5[01679]|\n              6[0-279]|\n              78|\n              8[0-269]\n            )|\n            7(?:\n              0[1-46-8]|\n              1[2-9]|\n              2[04-8]|\n              3[0-2478]|\n              4[0378]|\n              5[47]|\n              6[02359]|\n              7[0-59]|\n              8[156]\n            )|\n            8(?:\n              0[1-68]|\n              1[02-8]|\n              2[0168]|\n              3[0-2589]|\n              4[03578]|\n              5[046-9]|\n              6[02-5]|\n              7[028]\n            )|\n            9(?:\n              0[1346-9]|\n              1[02-9]|\n              2[0589]|\n              3[0146-8]|\n              4[01357-9]|\n              5[12469]|\n              7[0-3589]|\n              8[04-69]\n            )\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          8(?:\n            00|\n            33|\n            44|\n            55|\n            66|\n            77|\n            88\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "900[2-9]\\d{6}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          52(?:\n            3(?:\n              [2-46-9][02-9]\\d|\n              5(?:\n                [02-46-9]\\d|\n                5[0-46-9]\n              )\n            )|\n            4(?:\n              [2-478][02-9]\\d|\n              5(?:\n                [034]\\d|\n                2[024-9]|\n                5[0-46-9]\n              )|\n              6(?:\n                0[1-9]|\n                [2-9]\\d\n              )|\n              9(?:\n                [05-9]\\d|\n                2[0-5]|\n                49\n              )\n            )\n          )\\d{4}|\n          52[34][2-9]1[02-9]\\d{4}|\n          5(?:\n            00|\n            2[125-9]|\n            3[23]|\n            44|\n            66|\n            77|\n            88\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                ],
            },
            Region {
                id: "AG",
                leading_digits: Some("268"),
                descriptors: &[],
            },
            Region {
                id: "AI",
                leading_digits: Some("264"),
                descriptors: &[],
            },
            Region {
                id: "AS",
                leading_digits: Some("684"),
                descriptors: &[],
            },
            Region {
                id: "BB",
                leading_digits: Some("246"),
                descriptors: &[],
            },
            Region {
                id: "BM",
                leading_digits: Some("441"),
                descriptors: &[],
            },
            Region {
                id: "BS",
                leading_digits: Some("242"),
                descriptors: &[],
            },
            Region {
                id: "CA",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          [2-9]\\d{9}|\n          3\\d{6}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            2(?:\n              04|\n              [23]6|\n              [48]9|\n              5[07]|\n              63\n            )|\n            3(?:\n              06|\n              43|\n              54|\n              6[578]|\n              82\n            )|\n            4(?:\n              03|\n              1[68]|\n              [26]8|\n              3[178]|\n              50|\n              74\n            )|\n            5(?:\n              06|\n              1[49]|\n              48|\n              79|\n              8[147]\n            )|\n            6(?:\n              04|\n              [18]3|\n              39|\n              47|\n              72\n            )|\n            7(?:\n              0[59]|\n              42|\n              53|\n              78|\n              8[02]\n            )|\n            8(?:\n              [06]7|\n              19|\n              25|\n              7[39]\n            )|\n            9(?:\n              0[25]|\n              42\n            )\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            2(?:\n              04|\n              [23]6|\n              [48]9|\n              5[07]|\n              63\n            )|\n            3(?:\n              06|\n              43|\n              54|\n              6[578]|\n              82\n            )|\n            4(?:\n              03|\n              1[68]|\n              [26]8|\n              3[178]|\n              50|\n              74\n            )|\n            5(?:\n              06|\n              1[49]|\n              48|\n              79|\n              8[147]\n            )|\n            6(?:\n              04|\n              [18]3|\n              39|\n              47|\n              72\n            )|\n            7(?:\n              0[59]|\n              42|\n              53|\n              78|\n              8[02]\n            )|\n            8(?:\n              [06]7|\n              19|\n              25|\n              7[39]\n            )|\n            9(?:\n              0[25]|\n              42\n            )\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          8(?:\n            00|\n            33|\n            44|\n            55|\n            66|\n            77|\n            88\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "900[2-9]\\d{6}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          52(?:\n            3(?:\n              [2-46-9][02-9]\\d|\n              5(?:\n                [02-46-9]\\d|\n                5[0-46-9]\n              )\n            )|\n            4(?:\n              [2-478][02-9]\\d|\n              5(?:\n                [034]\\d|\n                2[024-9]|\n                5[0-46-9]\n              )|\n              6(?:\n                0[1-9]|\n                [2-9]\\d\n              )|\n              9(?:\n                [05-9]\\d|\n                2[0-5]|\n                49\n              )\n            )\n          )\\d{4}|\n          52[34][2-9]1[02-9]\\d{4}|\n          (?:\n            5(?:\n              2[125-9]|\n              3[23]|\n              44|\n              66|\n              77|\n              88\n            )|\n            6(?:\n              22|\n              33\n            )\n          )[2-9]\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "600[2-9]\\d{6}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "310\\d{4}",
                        lengths: &[7],
                    },
                ],
            },
            Region {
                id: "DM",
                leading_digits: Some("767"),
                descriptors: &[],
            },
            Region {
                id: "DO",
                leading_digits: Some("8001|8[024]9"),
                descriptors: &[],
            },
            Region {
                id: "GD",
                leading_digits: Some("473"),
                descriptors: &[],
            },
            Region {
                id: "GU",
                leading_digits: Some("671"),
                descriptors: &[],
            },
            Region {
                id: "JM",
                leading_digits: Some("658|876"),
                descriptors: &[],
            },
            Region {
                id: "KN",
                leading_digits: Some("869"),
                descriptors: &[],
            },
            Region {
                id: "KY",
                leading_digits: Some("345"),
                descriptors: &[],
            },
            Region {
                id: "LC",
                leading_digits: Some("758"),
                descriptors: &[],
            },
            Region {
                id: "MP",
                leading_digits: Some("670"),
                descriptors: &[],
            },
            Region {
                id: "MS",
                leading_digits: Some("664"),
                descriptors: &[],
            },
            Region {
                id: "PR",
                leading_digits: Some("787|939"),
                descriptors: &[],
            },
            Region {
                id: "SX",
                leading_digits: Some("721"),
                descriptors: &[],
            },
            Region {
                id: "TC",
                leading_digits: Some("649"),
                descriptors: &[],
            },
            Region {
                id: "TT",
                leading_digits: Some("868"),
                descriptors: &[],
            },
            Region {
                id: "VC",
                leading_digits: Some("784"),
                descriptors: &[],
            },
            Region {
                id: "VG",
                leading_digits: Some("284"),
                descriptors: &[],
            },
            Region {
                id: "VI",
                leading_digits: Some("340"),
                descriptors: &[],
            },
        ],
    ),
    (
        7,
        &[
            Region {
                id: "RU",
                leading_digits: Some("[3489]"),
                descriptors: &[],
            },
            Region {
                id: "KZ",
                leading_digits: Some("7"),
                descriptors: &[],
            },
        ],
    ),
    (
        39,
        &[
            Region {
                id: "IT",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          0\\d{5,11}|\n          1\\d{8,10}|\n          3(?:\n            [0-8]\\d{7,10}|\n            9\\d{7,8}\n          )|\n          (?:\n            43|\n            55|\n            70\n          )\\d{8}|\n          8\\d{5}(?:\n            \\d{2,4}\n          )?\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          0(?:\n            669[0-79]\\d{1,6}|\n            831\\d{2,8}\n          )|\n          0(?:\n            1(?:\n              [0159]\\d|\n              [27][1-5]|\n              31|\n              4[1-4]|\n              6[1356]|\n              8[2-57]\n            )|\n            2\\d\\d|\n            3(?:\n              [0159]\\d|\n              2[1-4]|\n              3[12]|\n              [48][1-6]|\n              6[2-59]|\n              7[1-7]\n            )|\n            4(?:\n              [0159]\\d|\n              [23][1-9]|\n              4[245]|\n              6[1-5]|\n              7[1-4]|\n              81\n            )|\n            5(?:\n              [0159]\\d|\n              2[1-5]|\n              3[2-6]|\n              4[1-79]|\n              6[4-6]|\n              7[1-578]|\n              8[3-8]\n            )|\n            6(?:\n              [0-57-9]\\d|\n              6[0-8]\n            )|\n            7(?:\n              [0159]\\d|\n              2[12]|\n              3[1-7]|\n              4[2-46]|\n              6[13569]|\n              7[13-6]|\n              8[1-59]\n            )|\n            8(?:\n              [0159]\\d|\n              2[3-578]|\n              3[2356]|\n              [6-8][1-5]\n            )|\n            9(?:\n              [0159]\\d|\n              [238][1-5]|\n              4[12]|\n              6[1-8]|\n              7[1-6]\n            )\n          )\\d{2,7}\n        ",
                        lengths: &[6, 7, 8, 9, 10, 11, 12],
                    },
                    Pattern {
                        regex: "\n          3[2-9]\\d{7,8}|\n          (?:\n            31|\n            43\n          )\\d{8}\n        ",
                        lengths: &[9, 10],
                    },
                    Pattern {
                        regex: "\n          80(?:\n            0\\d{3}|\n            3\n          )\\d{3}\n        ",
                        lengths: &[6, 9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            0878\\d{3}|\n            89(?:\n              2\\d|\n              3[04]|\n              4(?:\n                [0-4]|\n                [5-9]\\d\\d\n              )|\n              5[0-4]\n            )\n          )\\d\\d|\n          (?:\n            1(?:\n              44|\n              6[346]\n            )|\n            89(?:\n              38|\n              5[5-9]|\n              9\n            )\n          )\\d{6}\n        ",
                        lengths: &[6, 8, 9, 10],
                    },
                    Pattern {
                        regex: "\n          84(?:\n            [08]\\d{3}|\n            [17]\n          )\\d{3}\n        ",
                        lengths: &[6, 9],
                    },
                    Pattern {
                        regex: "\n          1(?:\n            78\\d|\n            99\n          )\\d{6}\n        ",
                        lengths: &[9, 10],
                    },
                    Pattern {
                        regex: "55\\d{8}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "3[2-8]\\d{9,10}",
                        lengths: &[11, 12],
                    },
                ],
            },
            Region {
                id: "VA",
                leading_digits: Some("06698"),
                descriptors: &[],
            },
        ],
    ),
    (
        44,
        &[
            Region {
                id: "GB",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          [1-357-9]\\d{9}|\n          [18]\\d{8}|\n          8\\d{6}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            1(?:\n              1(?:\n                3(?:\n                  [0-58]\\d\\d|\n                  73[0-5]\n                )|\n                4(?:\n                  (?:\n                    [0-5]\\d|\n                    70\n                  )\\d|\n                  69[7-9]\n                )|\n                (?:\n                  (?:\n                    5[0-26-9]|\n                    [78][0-49]\n                  )\\d|\n                  6(?:\n                    [0-4]\\d|\n                    5[01]\n                  )\n                )\\d\n              )|\n              (?:\n                2(?:\n                  (?:\n                    0[024-9]|\n                    2[3-9]|\n                    3[3-79]|\n                    4[1-689]|\n                    [58][02-9]|\n                    6[0-47-9]|\n                    7[013-9]|\n                    9\\d\n                  )\\d|\n                  1(?:\n                    [0-7]\\d|\n                    8[0-3]\n                  )\n                )|\n                (?:\n                  3(?:\n                    0\\d|\n                    1[0-8]|\n                    [25][02-9]|\n                    3[02-579]|\n                    [468][0-46-9]|\n                    7[1-35-79]|\n                    9[2-578]\n                  )|\n                  4(?:\n                    0[03-9]|\n                    [137]\\d|\n                    [28][02-57-9]|\n                    4[02-69]|\n                    5[0-8]|\n                    [69][0-79]\n                  )|\n                  5(?:\n                    0[1-35-9]|\n                    [16]\\d|\n                    2[024-9]|\n                    3[015689]|\n                    4[02-9]|\n                    5[03-9]|\n                    7[0-35-9]|\n                    8[0-468]|\n                    9[0-57-9]\n                  )|\n                  6(?:\n                    0[034689]|\n                    1\\d|\n                    2[0-35689]|\n                    [38][013-9]|\n                    4[1-467]|\n                    5[0-69]|\n                    6[13-9]|\n                    7[0-8]|\n                    9[0-24578]\n                  )|\n                  7(?:\n                    0[0246-9]|\n                    2\\d|\n                    3[0236-8]|\n                    4[03-9]|\n                    5[0-46-9]|\n                    6[013-9]|\n                    7[0-35-9]|\n                    8[024-9]|\n                    9[02-9]\n                  )|\n                  8(?:\n                    0[35-9]|\n                    2[1-57-9]|\n                    3[02-578]|\n                    4[0-578]|\n                    5[124-9]|\n                    6[2-69]|\n                    7\\d|\n                    8[02-9]|\n                    9[02569]\n                  )|\n                  9(?:\n                    0[02-589]|\n                    [18]\\d|\n                    2[02-689]|\n                    3[1-57-9]|\n                    4[2-9]|\n                    5[0-579]|\n                    6[2-47-9]|\n                    7[0-24578]|\n                    9[2-57]\n                  )\n                )\\d\n              )\\d\n            )|\n            2(?:\n              0[013478]|\n              3[0189]|\n              4[017]|\n              8[0-46-9]|\n              9[0-2]\n            )\\d{3}\n          )\\d{4}|\n          1(?:\n            2(?:\n              0(?:\n                46[1-4]|\n                87[2-9]\n              )|\n              545[1-79]|\n              76(?:\n                2\\d|\n                3[1-8]|\n                6[1-6]\n              )|\n              9(?:\n                7(?:\n                  2[0-4]|\n                  3[2-5]\n                )|\n                8(?:\n                  2[2-8]|\n                  7[0-47-9]|\n                  8[3-5]\n                )\n              )\n            )|\n            3(?:\n              6(?:\n                38[2-5]|\n                47[23]\n              )|\n              8(?:\n                47[04-9]|\n                64[0157-9]\n              )\n            )|\n            4(?:\n              044[1-7]|\n              20(?:\n                2[23]|\n                8\\d\n              )|\n              6(?:\n                0(?:\n                  30|\n                  5[2-57]|\n                  6[1-8]|\n                  7[2-8]\n                )|\n                140\n              )|\n              8(?:\n                052|\n                87[1-3]\n              )\n            )|\n            5(?:\n              2(?:\n                4(?:\n                  3[2-79]|\n                  6\\d\n                )|\n                76\\d\n              )|\n              6(?:\n                26[06-9]|\n                686\n              )\n            )|\n            6(?:\n              06(?:\n                4\\d|\n                7[4-79]\n              )|\n              295[5-7]|\n              35[34]\\d|\n              47(?:\n                24|\n                61\n              )|\n              59(?:\n                5[08]|\n                6[67]|\n                74\n              )|\n              9(?:\n                55[0-4]|\n                77[23]\n              )\n            )|\n            7(?:\n              26(?:\n                6[13-9]|\n                7[0-7]\n              )|\n              (?:\n                442|\n                688\n              )\\d|\n              50(?:\n                2[0-3]|\n                [3-68]2|\n                76\n              )\n            )|\n            8(?:\n              27[56]\\d|\n              37(?:\n                5[2-5]|\n                8[239]\n              )|\n              843[2-58]\n            )|\n            9(?:\n              0(?:\n                0(?:\n                  6[1-8]|\n                  85\n                )|\n                52\\d\n              )|\n              3583|\n              4(?:\n                66[1-8]|\n                9(?:\n                  2[01]|\n                  81\n                )\n              )|\n              63(?:\n                23|\n                3[1-4]\n              )|\n              9561\n            )\n          )\\d{3}\n        ",
                        lengths: &[9, 10],
                    },
                    Pattern {
                        regex: "\n          7(?:\n            457[0-57-9]|\n            700[01]|\n            911[028]\n          )\\d{5}|\n          7(?:\n            [1-3]\\d\\d|\n            4(?:\n              [0-46-9]\\d|\n              5[0-689]\n            )|\n            5(?:\n              0[0-8]|\n              [13-9]\\d|\n              2[0-35-9]\n            )|\n            7(?:\n              0[1-9]|\n              [1-7]\\d|\n              8[02-9]|\n              9[0-689]\n            )|\n            8(?:\n              [014-9]\\d|\n              [23][0-8]\n            )|\n            9(?:\n              [024-9]\\d|\n              1[02-9]|\n              3[0-689]\n            )\n          )\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          80[08]\\d{7}|\n          800\\d{6}|\n          8001111\n        ",
                        lengths: &[7, 9, 10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            8(?:\n              4[2-5]|\n              7[0-3]\n            )|\n            9(?:\n              [01]\\d|\n              8[2-49]\n            )\n          )\\d{7}|\n          845464\\d\n        ",
                        lengths: &[7, 10],
                    },
                    Pattern {
                        regex: "70\\d{8}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "56\\d{8}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          76(?:\n            464|\n            652\n          )\\d{5}|\n          76(?:\n            0[0-28]|\n            2[356]|\n            34|\n            4[01347]|\n            5[49]|\n            6[0-369]|\n            77|\n            8[14]|\n            9[139]\n          )\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            3[0347]|\n            55\n          )\\d{8}\n        ",
                        lengths: &[10],
                    },
                ],
            },
            Region {
                id: "GG",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          (?:\n            1481|\n            [357-9]\\d{3}\n          )\\d{6}|\n          8\\d{6}(?:\n            \\d{2}\n          )?\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "1481[25-9]\\d{5}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          7(?:\n            (?:\n              781|\n              839\n            )\\d|\n            911[17]\n          )\\d{5}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          80[08]\\d{7}|\n          800\\d{6}|\n          8001111\n        ",
                        lengths: &[7, 9, 10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            8(?:\n              4[2-5]|\n              7[0-3]\n            )|\n            9(?:\n              [01]\\d|\n              8[0-3]\n            )\n          )\\d{7}|\n          845464\\d\n        ",
                        lengths: &[7, 10],
                    },
                    Pattern {
                        regex: "70\\d{8}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "56\\d{8}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          76(?:\n            464|\n            652\n          )\\d{5}|\n          76(?:\n            0[0-28]|\n            2[356]|\n            34|\n            4[01347]|\n            5[49]|\n            6[0-369]|\n            77|\n            8[14]|\n            9[139]\n          )\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            3[0347]|\n            55\n          )\\d{8}\n        ",
                        lengths: &[10],
                    },
                ],
            },
            Region {
                id: "IM",
                leading_digits: Some("74576|(?:16|7[56])24"),
                descriptors: &[],
            },
            Region {
                id: "JE",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          1534\\d{6}|\n          (?:\n            [3578]\\d|\n            90\n          )\\d{8}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "1534[0-24-8]\\d{5}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          7(?:\n            (?:\n              (?:\n                50|\n                82\n              )9|\n              937\n            )\\d|\n            7(?:\n              00[378]|\n              97\\d\n            )\n          )\\d{5}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          80(?:\n            07(?:\n              35|\n              81\n            )|\n            8901\n          )\\d{4}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            8(?:\n              4(?:\n                4(?:\n                  4(?:\n                    05|\n                    42|\n                    69\n                  )|\n                  703\n                )|\n                5(?:\n                  041|\n                  800\n                )\n              )|\n              7(?:\n                0002|\n                1206\n              )\n            )|\n            90(?:\n              066[59]|\n              1810|\n              71(?:\n                07|\n                55\n              )\n            )\n          )\\d{4}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "701511\\d{4}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "56\\d{8}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          76(?:\n            464|\n            652\n          )\\d{5}|\n          76(?:\n            0[0-28]|\n            2[356]|\n            34|\n            4[01347]|\n            5[49]|\n            6[0-369]|\n            77|\n            8[14]|\n            9[139]\n          )\\d{6}\n        ",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          (?:\n            3(?:\n              0(?:\n                07(?:\n                  35|\n                  81\n                )|\n                8901\n              )|\n              3\\d{4}|\n              4(?:\n                4(?:\n                  4(?:\n                    05|\n                    42|\n                    69\n                  )|\n                  703\n                )|\n                5(?:\n                  041|\n                  800\n                )\n              )|\n              7(?:\n                0002|\n                1206\n              )\n            )|\n            55\\d{4}\n          )\\d{4}\n        ",
                        lengths: &[10],
                    },
                ],
            },
        ],
    ),
    (
        47,
        &[
            Region {
                id: "NO",
                leading_digits: Some("[02-689]|7[0-8]"),
                descriptors: &[],
            },
            Region {
                id: "SJ",
                leading_digits: Some("79"),
                descriptors: &[],
            },
        ],
    ),
    (
        61,
        &[
            Region {
                id: "AU",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          1(?:\n            [0-79]\\d{7}(?:\n              \\d(?:\n                \\d{2}\n              )?\n            )?|\n            8[0-24-9]\\d{7}\n          )|\n          [2-478]\\d{8}|\n          1\\d{4,7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            (?:\n              241|\n              349\n            )0\\d\\d|\n            8(?:\n              51(?:\n                0(?:\n                  0[03-9]|\n                  [12479]\\d|\n                  3[2-9]|\n                  5[0-8]|\n                  6[1-9]|\n                  8[0-7]\n                )|\n                1(?:\n                  [0235689]\\d|\n                  1[0-69]|\n                  4[0-589]|\n                  7[0-47-9]\n                )|\n                2(?:\n                  0[0-79]|\n                  [18][13579]|\n                  2[14-9]|\n                  3[0-46-9]|\n                  [4-6]\\d|\n                  7[89]|\n                  9[0-4]\n                )|\n                [34]\\d\\d\n              )|\n              91(?:\n                (?:\n                  [0-58]\\d|\n                  6[0135-9]\n                )\\d|\n                7(?:\n                  0[0-24-9]|\n                  [1-9]\\d\n                )|\n                9(?:\n                  [0-46-9]\\d|\n                  5[0-79]\n                )\n              )\n            )\n          )\\d{3}|\n          (?:\n            2(?:\n              [0-26-9]\\d|\n              3[0-8]|\n              4[02-9]|\n              5[0135-9]\n            )|\n            3(?:\n              [0-3589]\\d|\n              4[0-578]|\n              6[1-9]|\n              7[0-35-9]\n            )|\n            7(?:\n              [013-57-9]\\d|\n              2[0-8]\n            )|\n            8(?:\n              55|\n              6[0-8]|\n              [78]\\d|\n              9[02-9]\n            )\n          )\\d{6}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          4(?:\n            79[01]|\n            83[0-36-9]|\n            95[0-3]\n          )\\d{5}|\n          4(?:\n            [0-36]\\d|\n            4[047-9]|\n            [58][0-24-9]|\n            7[02-8]|\n            9[0-47-9]\n          )\\d{6}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          180(?:\n            0\\d{3}|\n            2\n          )\\d{3}\n        ",
                        lengths: &[7, 10],
                    },
                    Pattern {
                        regex: "190[0-26]\\d{6}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          13(?:\n            00\\d{6}(?:\n              \\d{2}\n            )?|\n            45[0-4]\\d{3}\n          )|\n          13\\d{4}\n        ",
                        lengths: &[6, 8, 10, 12],
                    },
                    Pattern {
                        regex: "\n          14(?:\n            5(?:\n              1[0458]|\n              [23][458]\n            )|\n            71\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "163\\d{2,6}",
                        lengths: &[5, 6, 7, 8, 9],
                    },
                ],
            },
            Region {
                id: "CC",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          1(?:\n            [0-79]\\d{8}(?:\n              \\d{2}\n            )?|\n            8[0-24-9]\\d{7}\n          )|\n          [148]\\d{8}|\n          1\\d{5,7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          8(?:\n            51(?:\n              0(?:\n                02|\n                31|\n                60|\n                89\n              )|\n              1(?:\n                18|\n                76\n              )|\n              223\n            )|\n            91(?:\n              0(?:\n                1[0-2]|\n                29\n              )|\n              1(?:\n                [28]2|\n                50|\n                79\n              )|\n              2(?:\n                10|\n                64\n              )|\n              3(?:\n                [06]8|\n                22\n              )|\n              4[29]8|\n              62\\d|\n              70[23]|\n              959\n            )\n          )\\d{3}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          4(?:\n            79[01]|\n            83[0-36-9]|\n            95[0-3]\n          )\\d{5}|\n          4(?:\n            [0-36]\\d|\n            4[047-9]|\n            [58][0-24-9]|\n            7[02-8]|\n            9[0-47-9]\n          )\\d{6}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          180(?:\n            0\\d{3}|\n            2\n          )\\d{3}\n        ",
                        lengths: &[7, 10],
                    },
                    Pattern {
                        regex: "190[0-26]\\d{6}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          13(?:\n            00\\d{6}(?:\n              \\d{2}\n            )?|\n            45[0-4]\\d{3}\n          )|\n          13\\d{4}\n        ",
                        lengths: &[6, 8, 10, 12],
                    },
                    Pattern {
                        regex: "\n          14(?:\n            5(?:\n              1[0458]|\n              [23][458]\n            )|\n            71\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
            Region {
                id: "CX",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          1(?:\n            [0-79]\\d{8}(?:\n              \\d{2}\n            )?|\n            8[0-24-9]\\d{7}\n          )|\n          [148]\\d{8}|\n          1\\d{5,7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          8(?:\n            51(?:\n              0(?:\n                01|\n                30|\n                59|\n                88\n              )|\n              1(?:\n                17|\n                46|\n                75\n              )|\n              2(?:\n                22|\n                35\n              )\n            )|\n            91(?:\n              00[6-9]|\n              1(?:\n                [28]1|\n                49|\n                78\n              )|\n              2(?:\n                09|\n                63\n              )|\n              3(?:\n                12|\n                26|\n                75\n              )|\n              4(?:\n                56|\n                97\n              )|\n              64\\d|\n              7(?:\n                0[01]|\n                1[0-2]\n              )|\n              958\n            )\n          )\\d{3}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          4(?:\n            79[01]|\n            83[0-36-9]|\n            95[0-3]\n          )\\d{5}|\n          4(?:\n            [0-36]\\d|\n            4[047-9]|\n            [58][0-24-9]|\n            7[02-8]|\n            9[0-47-9]\n          )\\d{6}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          180(?:\n            0\\d{3}|\n            2\n          )\\d{3}\n        ",
                        lengths: &[7, 10],
                    },
                    Pattern {
                        regex: "190[0-26]\\d{6}",
                        lengths: &[10],
                    },
                    Pattern {
                        regex: "\n          13(?:\n            00\\d{6}(?:\n              \\d{2}\n            )?|\n            45[0-4]\\d{3}\n          )|\n          13\\d{4}\n        ",
                        lengths: &[6, 8, 10, 12],
                    },
                    Pattern {
                        regex: "\n          14(?:\n            5(?:\n              1[0458]|\n              [23][458]\n            )|\n            71\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
        ],
    ),
    (
        212,
        &[
            Region {
                id: "MA",
                leading_digits: Some("[5-8]"),
                descriptors: &[],
            },
            Region {
                id: "EH",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "[5-8]\\d{8}",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "528[89]\\d{5}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            6(?:\n              [0-79]\\d|\n              8[0-247-9]\n            )|\n            7(?:\n              [016-8]\\d|\n              2[0-8]|\n              5[0-5]\n            )\n          )\\d{6}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "80[0-7]\\d{6}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "89\\d{7}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            592(?:\n              4[0-2]|\n              93\n            )|\n            80[89]\\d\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
        ],
    ),
    (
        262,
        &[
            Region {
                id: "RE",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          709\\d{6}|\n          (?:\n            26|\n            [689]\\d\n          )\\d{7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          2631[0-6]\\d{4}|\n          26(?:\n            2\\d|\n            30|\n            88\n          )\\d{5}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            69(?:\n              2\\d\\d|\n              3(?:\n                [06][0-6]|\n                1[0-3]|\n                2[0-2]|\n                3[0-39]|\n                4\\d|\n                5[0-5]|\n                7[0-37]|\n                8[0-8]|\n                9[0-479]\n              )\n            )|\n            7092[0-3]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "80\\d{7}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "89[1-37-9]\\d{6}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          8(?:\n            1[019]|\n            2[0156]|\n            84|\n            90\n          )\\d{6}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          9(?:\n            399[0-3]|\n            479[0-6]|\n            76(?:\n              2[278]|\n              3[0-37]\n            )\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
            Region {
                id: "YT",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          (?:\n            639\\d|\n            7093\n          )\\d{5}|\n          (?:\n            26|\n            80|\n            9\\d\n          )\\d{7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          26(?:\n            89\\d|\n            9(?:\n              0[0-467]|\n              15|\n              5[0-4]|\n              6\\d|\n              [78]0\n            )\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            639(?:\n              0[0-79]|\n              1[019]|\n              [267]\\d|\n              3[09]|\n              40|\n              5[05-9]|\n              9[04-79]\n            )|\n            7093[5-7]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "80\\d{7}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          9(?:\n            (?:\n              39|\n              47\n            )8[01]|\n            769\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
        ],
    ),
    (
        290,
        &[
            Region {
                id: "SH",
                leading_digits: Some("[256]"),
                descriptors: &[],
            },
            Region {
                id: "TA",
                leading_digits: Some("8"),
                descriptors: &[],
            },
        ],
    ),
    (
        358,
        &[
            Region {
                id: "FI",
                leading_digits: Some("1[03-79]|[2-9]"),
                descriptors: &[],
            },
            Region {
                id: "AX",
                leading_digits: Some("18"),
                descriptors: &[],
            },
        ],
    ),
    (
        590,
        &[
            Region {
                id: "GP",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          7090\\d{5}|\n          (?:\n            [56]9|\n            [89]\\d\n          )\\d{7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            59(?:\n              0(?:\n                0[1-68]|\n                [14][0-24-9]|\n                2[0-68]|\n                3[1-9]|\n                5[3-579]|\n                [68][0-689]|\n                7[08]|\n                9\\d\n              )|\n              87\\d\n            )|\n            80[6-9]\\d\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            69(?:\n              0\\d\\d|\n              1(?:\n                2[2-9]|\n                3[0-5]\n              )\n            )|\n            7090[0-4]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "80[0-5]\\d{6}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "8[129]\\d{7}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          9(?:\n            (?:\n              39[5-7]|\n              76[018]\n            )\\d|\n            475[0-6]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
            Region {
                id: "BL",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          7090\\d{5}|\n          (?:\n            [56]9|\n            [89]\\d\n          )\\d{7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            59(?:\n              0(?:\n                2[7-9]|\n                3[3-7]|\n                5[12]|\n                87\n              )|\n              87\\d\n            )|\n            80[6-9]\\d\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            69(?:\n              0\\d\\d|\n              1(?:\n                2[2-9]|\n                3[0-5]\n              )\n            )|\n            7090[0-4]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "80[0-5]\\d{6}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "8[129]\\d{7}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          9(?:\n            (?:\n              39[5-7]|\n              76[018]\n            )\\d|\n            475[0-6]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
            Region {
                id: "MF",
                leading_digits: None,
                descriptors: &[
                    Pattern {
                        regex: "\n          7090\\d{5}|\n          (?:\n            [56]9|\n            [89]\\d\n          )\\d{7}\n        ",
                        lengths: &[],
                    },
                    Pattern {
                        regex: "\n          (?:\n            59(?:\n              0(?:\n                0[079]|\n                [14]3|\n                [27][79]|\n                3[03-7]|\n                5[0-268]|\n                87\n              )|\n              87\\d\n            )|\n            80[6-9]\\d\\d\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          (?:\n            69(?:\n              0\\d\\d|\n              1(?:\n                2[2-9]|\n                3[0-5]\n              )\n            )|\n            7090[0-4]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "80[0-5]\\d{6}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "8[129]\\d{7}",
                        lengths: &[9],
                    },
                    Pattern {
                        regex: "\n          9(?:\n            (?:\n              39[5-7]|\n              76[018]\n            )\\d|\n            475[0-6]\n          )\\d{4}\n        ",
                        lengths: &[9],
                    },
                ],
            },
        ],
    ),
    (
        599,
        &[
            Region {
                id: "CW",
                leading_digits: Some("[69]"),
                descriptors: &[],
            },
            Region {
                id: "BQ",
                leading_digits: Some("[347]"),
                descriptors: &[],
            },
        ],
    ),
];
