"""The reader site's pages. Thin: what readers may see comes from `claims.selectors`."""

from django.shortcuts import render

from claims.verdicts import BEST_RATING, DIMENSIONS, SCALE, WORST_RATING


def methodology(request):
    return render(
        request,
        "site/methodology.html",
        {
            "scale": SCALE,
            "dimensions": DIMENSIONS,
            "best_rating": BEST_RATING,
            "worst_rating": WORST_RATING,
        },
    )
