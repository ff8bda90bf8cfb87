"""The web app: Flask app factory and blueprints for mailroom, finance, reviewers and admins."""
