// The upstream's fixed, built-in dataset: 20 restaurants and their menus.

export interface Dish {
  name: string;
  /** Price in euros. */
  price: number;
  vegetarian: boolean;
}

export interface Menu {
  name: string;
  cuisine: string;
  dishes: Dish[];
}

const d = (name: string, price: number, vegetarian = false): Dish => ({ name, price, vegetarian });

export const RESTAURANTS: readonly Menu[] = [
  { name: 'Bella Napoli', cuisine: 'Italian', dishes: [d('Margherita', 9.5, true), d('Diavola', 11), d('Tiramisu', 6, true)] },
  { name: 'Trattoria Roma', cuisine: 'Italian', dishes: [d('Carbonara', 12.5), d('Cacio e Pepe', 11, true), d('Saltimbocca', 18)] },
  { name: 'Golden Dragon', cuisine: 'Chinese', dishes: [d('Peking Duck', 24), d('Mapo Tofu', 10, true), d('Dumplings', 7.5)] },
  { name: 'Sakura', cuisine: 'Japanese', dishes: [d('Salmon Nigiri', 8), d('Vegetable Tempura', 9, true), d('Tonkotsu Ramen', 13.5)] },
  { name: 'Taj Mahal', cuisine: 'Indian', dishes: [d('Butter Chicken', 14), d('Palak Paneer', 12, true), d('Garlic Naan', 3.5, true)] },
  { name: 'El Mariachi', cuisine: 'Mexican', dishes: [d('Tacos al Pastor', 10), d('Bean Burrito', 9, true), d('Churros', 5, true)] },
  { name: 'Le Petit Bistro', cuisine: 'French', dishes: [d('Coq au Vin', 19), d('Ratatouille', 14, true), d('Creme Brulee', 7, true)] },
  { name: 'Athena', cuisine: 'Greek', dishes: [d('Moussaka', 15), d('Greek Salad', 9, true), d('Souvlaki', 13)] },
  { name: 'Bangkok Street', cuisine: 'Thai', dishes: [d('Pad Thai', 12), d('Green Curry', 13, true), d('Mango Sticky Rice', 6, true)] },
  { name: 'Seoul Kitchen', cuisine: 'Korean', dishes: [d('Bibimbap', 13, true), d('Bulgogi', 16), d('Kimchi Pancake', 8, true)] },
  { name: 'Pho Saigon', cuisine: 'Vietnamese', dishes: [d('Pho Bo', 12), d('Banh Mi', 8), d('Fresh Spring Rolls', 6.5, true)] },
  { name: 'The Burger Joint', cuisine: 'American', dishes: [d('Classic Burger', 12), d('Veggie Burger', 11, true), d('Fries', 4, true)] },
  { name: 'Smokehouse', cuisine: 'Barbecue', dishes: [d('Brisket', 22), d('Pulled Pork', 17), d('Mac and Cheese', 7, true)] },
  { name: 'La Paella', cuisine: 'Spanish', dishes: [d('Paella Valenciana', 19), d('Patatas Bravas', 6, true), d('Gambas al Ajillo', 12)] },
  { name: 'Istanbul Grill', cuisine: 'Turkish', dishes: [d('Adana Kebab', 15), d('Lahmacun', 9), d('Baklava', 5, true)] },
  { name: 'Beirut Mezze', cuisine: 'Lebanese', dishes: [d('Hummus', 6, true), d('Falafel Plate', 11, true), d('Shawarma', 12)] },
  { name: 'Green Garden', cuisine: 'Vegetarian', dishes: [d('Buddha Bowl', 13, true), d('Lentil Soup', 7, true), d('Carrot Cake', 5, true)] },
  { name: 'Fish and Ships', cuisine: 'British', dishes: [d('Fish and Chips', 14), d('Mushy Peas', 3, true), d('Sticky Toffee Pudding', 6.5, true)] },
  { name: 'Bavarian Hall', cuisine: 'German', dishes: [d('Schnitzel', 17), d('Kaesespaetzle', 13, true), d('Pretzel', 4, true)] },
  { name: 'Casa Lisboa', cuisine: 'Portuguese', dishes: [d('Bacalhau', 18), d('Caldo Verde', 7), d('Pastel de Nata', 3, true)] },
];

/** Lookup key for a restaurant name: trimmed and lower-cased (lookups are case-insensitive). */
export const normaliseName = (name: string): string => name.trim().toLowerCase();

export const RESTAURANT_NAMES: readonly string[] = RESTAURANTS.map((r) => r.name);
export const MENUS_BY_KEY: ReadonlyMap<string, Menu> = new Map(RESTAURANTS.map((r) => [normaliseName(r.name), r]));
