"""Imports and exports of bookmarks: browser and Delicious/Pinboard files, CSV and spreadsheets."""
