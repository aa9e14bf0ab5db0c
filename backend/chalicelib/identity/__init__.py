"""Who is calling (Cognito ID tokens), the organisations they belong to, and their users."""
