"""The shipped model on the demo job board (flows/demo_site/ads.py): a HELD-OUT sanity set.

The demo ads are never used for training; this checks that the default model flags every
demo lure and no ordinary ad (hard negatives included). Run with -s to see the table."""

from classifier.assess import load_assessor
from flows.demo_site import ADS


def test_shipped_model_flags_every_demo_lure_and_no_ordinary_ad():
    assessor = load_assessor()
    results = assessor.assess([f"{ad.title}\n{ad.text}" for ad in ADS])
    rows = sorted(zip(ADS, results), key=lambda p: -p[1].score)
    print(f"\nthreshold {assessor.threshold:.3f}")
    for ad, r in rows:
        mark = "ok " if r.is_lure == ad.is_lure else "ERR"
        print(f"{mark} {ad.id} lure={ad.is_lure!s:5} score={r.score:.3f} {ad.title[:60]}")
    missed = [ad.id for ad, r in rows if ad.is_lure and not r.is_lure]
    false_alarms = [ad.id for ad, r in rows if not ad.is_lure and r.is_lure]
    assert sum(ad.is_lure for ad in ADS) == 15
    assert missed == [] and false_alarms == [], (missed, false_alarms)
