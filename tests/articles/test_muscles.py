import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.body_map import REGIONS, muscle_shapes
from articles.models import Article, Muscle, Stretch
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db

SHIPPED_MUSCLES = {
    "hip-flexors": "Hip flexors",
    "hamstrings": "Hamstrings",
    "adductors": "Adductors",
    "quadratus-lumborum": "Quadratus lumborum",
    "erector-spinae": "Erector spinae",
}


def text_of(response):
    """The page's visible words, tags removed, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Models


def test_set_seconds_counts_holds_pushes_and_rests():
    static = StretchFactory.build(hold_seconds=30, repetitions=3, rest_seconds=15)
    contract = StretchFactory.build(
        technique=Stretch.Technique.CONTRACT_RELAX,
        contract_seconds=6,
        relax_seconds=3,
        hold_seconds=20,
        repetitions=3,
        rest_seconds=10,
    )
    assert static.set_seconds == 3 * 30 + 2 * 15
    assert contract.set_seconds == 3 * (6 + 3 + 20) + 2 * 10
    assert contract.set_minutes == 2


def test_stretch_validation_messages():
    """An image needs alt text, contract-relax needs a push time, a video link must be YouTube or Vimeo."""
    stretch = StretchFactory.build(
        muscle=MuscleFactory(),
        technique=Stretch.Technique.CONTRACT_RELAX,
        contract_seconds=0,
        image="stretches/photo.jpg",
        image_alt="  ",
        video_url="https://example.com/stretch.mp4",
    )
    with pytest.raises(ValidationError) as caught:
        stretch.full_clean()
    errors = caught.value.message_dict
    assert "Describe the picture" in errors["image_alt"][0]
    assert "push time" in errors["contract_seconds"][0]
    assert "YouTube or Vimeo" in errors["video_url"][0]


def test_illustration_must_be_a_shipped_file():
    stretch = StretchFactory.build(muscle=MuscleFactory(), illustration="../../settings.py", image_alt="A drawing")
    with pytest.raises(ValidationError) as caught:
        stretch.full_clean()
    assert "No shipped file" in caught.value.message_dict["illustration"][0]
    stretch.illustration = "img/stretches/childs-pose.svg"
    stretch.full_clean()


def test_markdown_is_rendered_and_sanitised_on_save():
    stretch = StretchFactory(cautions="- Stop if it hurts <script>alert(1)</script>")
    assert "<li>" in stretch.cautions_html and "<script" not in stretch.cautions_html


def test_muscle_rejects_unknown_body_map_areas():
    muscle = MuscleFactory.build(referral_regions=["buttock", "elbow"])
    with pytest.raises(ValidationError, match="elbow"):
        muscle.full_clean()


def test_every_shipped_muscle_has_a_drawn_shape_and_referral_regions_are_known(site_content):
    muscles = list(Muscle.objects.all())
    shapes = muscle_shapes(muscles)
    assert {m.slug for m, _ in shapes["front"]} == {"hip-flexors", "adductors"}
    assert {m.slug for m, _ in shapes["back"]} == {"hamstrings", "quadratus-lumborum", "erector-spinae"}
    known = {region.id for region in REGIONS}
    for muscle in muscles:
        assert set(muscle.referral_regions) <= known, muscle.slug
        muscle.full_clean()


def test_shipped_content_has_two_stretches_each_and_one_contract_relax(site_content):
    for muscle in Muscle.objects.prefetch_related("stretches"):
        stretches = list(muscle.stretches.all())
        assert len(stretches) >= 2, muscle
        assert any(s.is_contract_relax for s in stretches), muscle
        for stretch in stretches:
            stretch.full_clean()
            assert not stretch.video_url and not stretch.video_file


# The directory


def test_directory_links_every_muscle_from_the_list_and_the_body_map(client, site_content):
    """Five muscle pages are linked twice: once from a body-map region with an accessible name, once in the list."""
    page = client.get(reverse("articles:stretches")).content.decode()
    for slug, name in SHIPPED_MUSCLES.items():
        url = reverse("articles:muscle", args=[slug])
        assert re.search(rf'<a class="muscle-link" href="{url}" aria-label="{name}"><title>{name}</title><path', page)
        assert f'<a href="{url}">{name}</a>' in page
    assert page.count('class="muscle-link"') == 5
    assert "Stretches by muscle" in page


def test_muscle_without_a_drawn_shape_is_still_listed(client):
    MuscleFactory(name="Gluteus medius", slug="gluteus-medius")
    page = client.get(reverse("articles:stretches")).content.decode()
    assert ">Gluteus medius</a>" in page
    assert 'aria-label="Gluteus medius"' not in page


# A muscle


def test_muscle_page_shows_what_a_reader_needs(client, site_content):
    response = client.get(reverse("articles:muscle", args=["quadratus-lumborum"]))
    text = text_of(response)
    assert "Quadratus lumborum" in text
    assert "Other names: QL" in text
    for heading in ["Where it is", "What it does", "Why it tightens", "Trigger points and referred pain"]:
        assert heading in text
    assert "Areas shaded on the map" in text
    for label in ["Lower back", "Buttock", "Outer hip", "Groin"]:
        assert label in text
    assert "When to get medical help instead of stretching" in text
    assert '<h2 id="comments-heading">Comments</h2>' in response.content.decode()
    stretch_links = re.findall(r'href="(/stretches/quadratus-lumborum/[^"/]+/)"', response.content.decode())
    assert len(set(stretch_links)) >= 2
    assert "Contract-relax" in text and "Hold for" in text


def test_referral_regions_are_highlighted_on_the_body_map(client):
    muscle = MuscleFactory(referral_regions=["knee", "groin"], body_view=Muscle.BodyView.FRONT)
    page = client.get(muscle.get_absolute_url()).content.decode()
    # The knee is drawn on both views, the groin on the front only: three hatched shapes.
    assert page.count('class="referral-area"') == 3
    assert "<li>Knee</li>" in page and "<li>Groin</li>" in page and "<li>Buttock</li>" not in page


def test_muscle_page_lists_only_published_articles(client):
    muscle = MuscleFactory()
    ArticleFactory(title="Live article").related_muscles.add(muscle)
    ArticleFactory(title="Draft article", status=Article.Status.DRAFT).related_muscles.add(muscle)
    text = text_of(client.get(muscle.get_absolute_url()))
    assert "Live article" in text and "Draft article" not in text


def test_articles_and_muscles_link_both_ways(client, site_content):
    article = Article.objects.get(slug="effective-lower-back-stretches")
    muscle = article.related_muscles.first()
    assert muscle is not None
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert "Muscles in this article" in article_page and f'href="{muscle.get_absolute_url()}"' in article_page
    assert f'href="{article.get_absolute_url()}"' in client.get(muscle.get_absolute_url()).content.decode()


def test_home_page_shows_the_muscle_grid(client, site_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = client.get(reverse("home")).content.decode()
    assert "Stretch guides by muscle" in page
    for slug in SHIPPED_MUSCLES:
        assert f'href="{reverse("articles:muscle", args=[slug])}"' in page


@pytest.mark.parametrize("count", [2, 20])
def test_muscle_page_query_count_does_not_grow_with_stretches_or_articles(client, django_assert_num_queries, count):
    """Same number of queries for 2 or 20 stretches and articles."""
    muscle = MuscleFactory()
    StretchFactory.create_batch(count, muscle=muscle)
    for article in ArticleFactory.create_batch(count):
        article.related_muscles.add(muscle)
    cache.clear()  # count a full render, not a visit served from the page cache
    # muscle (with its approved comments counted), stretches, articles, sidebar links; content version and next
    # scheduled article (page cache)
    with django_assert_num_queries(6):
        response = client.get(muscle.get_absolute_url())
    assert response.content.decode().count('class="card stretch-card') == count


@pytest.mark.parametrize("count", [2, 20])
def test_directory_and_stretch_query_counts_are_fixed(client, django_assert_num_queries, count):
    muscles = MuscleFactory.create_batch(count)
    stretches = [StretchFactory(muscle=muscle) for muscle in muscles for _ in range(2)]
    cache.clear()  # count full renders, not visits served from the page cache
    with django_assert_num_queries(4):  # muscles with counts, sidebar links, page cache (version, schedule)
        client.get(reverse("articles:stretches"))
    cache.clear()
    with django_assert_num_queries(5):  # muscle, its stretches, sidebar links, page cache (version, schedule)
        client.get(stretches[0].get_absolute_url())


# A stretch


def test_stretch_page_shows_numbered_steps_dose_and_safety(client, site_content):
    stretch = Stretch.objects.get(slug="kneeling-hip-flexor-stretch")
    response = client.get(stretch.get_absolute_url())
    page = response.content.decode()
    text = text_of(response)
    assert re.search(r'<ol class="stretch-steps">\s*<li>Kneel on a folded towel', page)
    assert (
        page.count("<li>", page.index('class="stretch-steps"'), page.index("</ol>", page.index("stretch-steps"))) == 6
    )
    assert "Hold 30 seconds" in text and "Repetitions 3" in text and "Rest between 15 seconds" in text
    assert "Technique Static hold" in text
    assert "Sides Each side in turn" in text and "When Just before bed" in text
    assert "What you should feel" in text and "Cautions and when to stop" in text
    assert "Stop if you feel sharp" in text
    assert f'alt="{stretch.image_alt}"' in page and "img/stretches/kneeling-hip-flexor-stretch.svg" in page
    assert "Home Stretches Hip flexors Kneeling hip flexor stretch" in text  # breadcrumbs
    assert "Other stretches for the hip flexors" in text and "Edge-of-bed hip flexor stretch" in text


def test_stretch_page_explains_contract_relax_timings(client):
    stretch = StretchFactory(
        technique=Stretch.Technique.CONTRACT_RELAX, contract_seconds=6, relax_seconds=3, hold_seconds=20
    )
    text = text_of(client.get(stretch.get_absolute_url()))
    assert "Push 6 seconds" in text and "Relax 3 seconds" in text and "Stretch 20 seconds" in text
    assert "Push for 6 seconds:" in text and "Relax for 3 seconds:" in text


def test_one_sided_stretch_without_a_side_links_to_the_self_check(client):
    stretch = StretchFactory(sides=Stretch.Sides.ONE)
    response = client.get(stretch.get_absolute_url())
    assert "If your self-check plan names one side, its link opens this page for that side." in text_of(response)
    assert f'href="{reverse("assessment:start")}"' in response.content.decode()


def test_hold_timer_is_hidden_until_javascript_reads_its_settings(client):
    stretch = StretchFactory(hold_seconds=45, repetitions=2, rest_seconds=10)
    page = client.get(stretch.get_absolute_url()).content.decode()
    section = re.search(r'<section class="hold-timer"[^>]*>', page).group(0)
    assert " hidden" in section
    for attribute in [
        'data-hold="45"',
        'data-repetitions="2"',
        'data-rest="10"',
        'data-sides="one"',
        'data-side="each"',
    ]:
        assert attribute in section
    assert 'aria-live="polite"' in page
    assert "js/hold-timer.js" in page and " defer" in page


def test_video_is_a_facade_without_any_iframe(client):
    """A YouTube link renders a button and a plain link; the player is loaded only by the script after a click."""
    stretch = StretchFactory(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page = client.get(stretch.get_absolute_url()).content.decode()
    assert "<iframe" not in page
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;rel=0"' in page
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in page and "Watch on YouTube" in page
    assert "js/video-facade.js" in page
    assert "Text alternative:" in page


def test_uploaded_video_has_captions_and_loads_nothing_until_played(client):
    stretch = StretchFactory(video_file="stretches/videos/demo.mp4", captions_file="stretches/captions/demo.vtt")
    page = client.get(stretch.get_absolute_url()).content.decode()
    assert '<video class="stretch-video-file" controls preload="none"' in page
    assert '<track kind="captions" src="/media/stretches/captions/demo.vtt"' in page


def test_stretch_without_video_has_no_video_section(client):
    page = client.get(StretchFactory().get_absolute_url()).content.decode()
    assert "Video demonstration" not in page and "video-facade.js" not in page


def test_pages_have_no_inline_scripts_or_styles(client, site_content):
    stretch = Stretch.objects.first()
    for url in [reverse("articles:stretches"), stretch.muscle.get_absolute_url(), stretch.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert " style=" not in page and "<style" not in page
        # Scripts come from files; JSON-LD data blocks are not scripts a browser runs.
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all("src=" in tag or 'type="application/ld+json"' in tag for tag in scripts)


# Hostile addresses


@pytest.fixture
def two_muscles(db):
    hip_flexors = MuscleFactory(name="Hip flexors", slug="hip-flexors")
    StretchFactory(muscle=hip_flexors, slug="kneeling-hip-flexor-stretch")
    MuscleFactory(name="Hamstrings", slug="hamstrings")


@pytest.mark.parametrize(
    "path",
    [
        "/stretches/%00/",
        "/stretches/%00/x/",
        "/stretches/hip-flexors/%00/",
        "/stretches/" + "a" * 5000 + "/",
        "/stretches/hip-flexors/" + "b" * 5000 + "/",
        "/stretches/..%2F..%2Fetc/",
        "/stretches/hip-flexors/../admin/",
        "/stretches/%E2%80%AE/",
        "/stretches/hamstrings/kneeling-hip-flexor-stretch/",
        "/stretches/no-such-muscle/",
        "/stretches/no-such-muscle/kneeling-hip-flexor-stretch/",
        "/stretches/hip-flexors/kneeling-hip-flexor-stretch/extra/",
    ],
)
def test_hostile_or_wrong_addresses_are_404(client, two_muscles, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", ["?page=%00", "?page=-1&page=abc", "?q=" + "x" * 3000, "?timer_speed=1000"])
def test_junk_parameters_are_ignored(client, two_muscles, query):
    for url in ["/stretches/", "/stretches/hip-flexors/", "/stretches/hip-flexors/kneeling-hip-flexor-stretch/"]:
        assert client.get(url + query).status_code == 200


def test_the_main_navigation_marks_stretches_on_every_stretch_page(client):
    """/stretches/, a muscle and a stretch all sit under "Stretches" in the header; an article does not."""
    stretch = StretchFactory()
    current = '<a href="' + reverse("articles:stretches") + '" aria-current="page">Stretches</a>'
    for url in [reverse("articles:stretches"), stretch.muscle.get_absolute_url(), stretch.get_absolute_url()]:
        assert current in client.get(url).content.decode(), url
    assert current not in client.get(reverse("articles:list")).content.decode()
