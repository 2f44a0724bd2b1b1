from django.urls import path

from maillage.veille.imports import views

app_name = "veille_imports"

# Mounted at /veille/ beside the watch's own URLs: only importer/… and exporter/… live here.
urlpatterns = [
    path("importer/", views.import_start, name="start"),
    path("importer/demo.xlsx", views.demo_sheet_download, name="demo_sheet"),
    path("importer/demo/", views.demo_sheet_import, name="demo_import"),
    path("importer/<int:pk>/", views.import_detail, name="job"),
    path("importer/<int:pk>/colonnes/", views.import_mapping, name="mapping"),
    path("importer/<int:pk>/avancement/", views.import_progress, name="progress"),
    path("importer/<int:pk>/rapport.csv", views.import_report_csv, name="report_csv"),
    path("importer/<int:pk>/supprimer/", views.import_delete, name="delete"),
    path("exporter/", views.export_page, name="export"),
    path("exporter/signets.<str:format_name>", views.export_download, name="export_download"),
]
