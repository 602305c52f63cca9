from django.urls import path

from tandem.surveys.views import coordinator, participant

app_name = "surveys"
_program = "programs/<slug:slug>/surveys/"
_instrument = _program + "instruments/<int:instrument_id>/"
_item = _instrument + "items/<int:question_id>/"
_survey = _program + "<int:survey_id>/"

urlpatterns = [
    path("surveys/", participant.survey_list, name="list"),
    path("surveys/<int:wave_id>/", participant.answer, name="answer"),
    path(_program, coordinator.program_surveys, name="program"),
    path(_program + "new/", coordinator.survey_create, name="survey_create"),
    path(_program + "instruments/new/", coordinator.instrument_create, name="instrument_create"),
    path(
        _program + "instruments/library/",
        coordinator.instrument_library,
        name="instrument_library",
    ),
    path(_program + "instruments/import/", coordinator.instrument_import, name="instrument_import"),
    path(_instrument, coordinator.instrument_detail, name="instrument"),
    path(_instrument + "items/new/", coordinator.item_add, name="item_add"),
    path(_item + "edit/", coordinator.item_edit, name="item_edit"),
    path(_item + "move/", coordinator.item_move, name="item_move"),
    path(_item + "delete/", coordinator.item_delete, name="item_delete"),
    path(_survey, coordinator.results, name="results"),
    path(_survey + "chart.svg", coordinator.chart_svg, name="chart_svg"),
    path(_survey + "chart.csv", coordinator.chart_csv, name="chart_csv"),
    path(_survey + "waves/<int:wave_id>/edit/", coordinator.wave_edit, name="wave_edit"),
]
