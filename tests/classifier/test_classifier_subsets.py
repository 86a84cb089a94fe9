import numpy as np

from classifier.grouping import source_groups, source_key
from classifier.metrics import recall_at_false_flag_rate
from classifier.subsets import is_paraphrase, legit_kind, subset_figures, table_lines


def test_source_key_is_the_site_or_the_dataset():
    assert source_key("https://news.laodong.vn/video/abc.html (Lao Động)") == "laodong.vn"
    assert source_key("https://amp.laodong.vn/ban-doc/x.html") == "laodong.vn"
    assert source_key("http://giamngheo.txml.dienbien.gov.vn/TINTUC/View/x") == "dienbien.gov.vn"
    assert source_key("https://baomoi.net.vn/x.epi") == "baomoi.net.vn"
    assert source_key("github:owner/repo/data/file.csv@abc (notes)") == "github:owner/repo"
    assert source_key("ViHSD dataset, train.csv") == "vihsd"
    assert source_key("") == ""


def test_source_groups_join_a_site_and_near_duplicates_across_sites():
    text = "Tuyển gấp nhân viên làm việc tại nhà, lương trả theo ngày 500k, liên hệ zalo ngay hôm nay để nhận việc"
    sources = ["https://a.vn/1", "https://www.a.vn/2", "https://b.vn/1", "https://c.vn/1", ""]
    texts = ["bài một", "bài hai khác hẳn", text, text + "!", "một câu không nguồn"]
    g = source_groups(sources, texts)
    assert g[0] == g[1] and g[2] == g[3] and len({g[0], g[2], g[4]}) == 3


def test_recall_at_false_flag_rate_allows_only_the_top_two_percent_of_legit():
    legit = np.linspace(0, 0.5, 100)  # 2 of 100 may be flagged: the bar is the 3rd highest legit
    lures = np.array([0.99, 0.495, 0.485, 0.2])
    scores = np.concatenate([legit, lures])
    y = np.array([0] * 100 + [1] * 4)
    assert recall_at_false_flag_rate(scores, y) == 0.5  # 0.99 and 0.495 beat the bar 0.4899
    assert recall_at_false_flag_rate(np.array([0.9, 0.9]), np.array([1, 0])) == 0.0  # a tie is not caught


def test_subset_figures_split_formal_informal_style_and_category():
    y = np.array([1, 1, 1, 0, 0, 0, 0])
    scores = np.array([0.9, 0.8, 0.1, 0.85, 0.2, 0.3, 0.05])
    cats = ["online-task/CTV-scam", "fake-export-labour", "fake-export-labour", "job-ad", "sms-ham",
            "informal-job-post", "licensed-xkld-ad"]
    notes = ["real SMS", "paraphrase in news", "paraphrase in news", "", "", "", ""]
    f = subset_figures(scores, y, cats, notes)
    assert f["A"]["legit"] == 2 and f["B"]["legit"] == 2 and f["all"]["legit"] == 4
    assert f["B"]["recall_at_2pct"] == round(2 / 3, 4)  # 0 legit may be flagged: lures above 0.3
    assert f["A"]["recall_at_2pct"] == round(1 / 3, 4)  # the formal job ad at 0.85 is the bar
    assert f["by_style"]["verbatim"] == {"lures": 1, "caught_at_B_bar": 1, "ap_vs_B": 1.0}
    assert f["by_style"]["paraphrase"]["caught_at_B_bar"] == 1
    assert f["by_category"]["fake-export-labour"] == {"lures": 2, "caught_at_B_bar": 1}
    lines = table_lines(f, f)
    assert any(line.startswith("| B: lures vs informal legit") for line in lines)


def test_paraphrase_and_legit_kind_rules():
    assert is_paraphrase("Paraphrase in news of a broker's pitch") and not is_paraphrase("verbatim quote")
    assert legit_kind("classified-job-ad") == "informal" and legit_kind("job-ad") == "formal"
    assert legit_kind("", "dev_informal_legit_2.jsonl") == "informal"
