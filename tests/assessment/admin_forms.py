"""A question's admin change form as a browser posts it, for tests that edit questions and their answers."""


def question_form(question, points, findings):
    """The question's admin change form as posted, with ``points`` (per choice, for anterior tilt) and findings."""
    choices = list(question.choices.all())
    data = {
        "questionnaire": question.questionnaire_id,
        "order": question.order,
        "slug": question.slug,
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "urgency": "",
        "role": question.role,
        "side_evidence": question.side_evidence,
        "self_test": question.self_test_id or "",
        "image_alt": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(choices):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-order": choice.order,
                f"choices-{index}-label": choice.label,
                f"choices-{index}-side_vote": "",
                f"choices-{index}-finding": findings.get(index, choice.finding),
                **{f"choices-{index}-weight_{code.replace('-', '_')}": n for code, n in choice.weights.items()},
            }
        )
        if index in points:
            data[f"choices-{index}-weight_anterior_pelvic_tilt"] = points[index]
    return choices, data
